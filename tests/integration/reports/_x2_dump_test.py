from tests.integration.reports.test_api_pdf import get, SCHOOL_PDF, COORDINATOR_A, client, clock  # noqa
import pathlib


def test_dump(client):
    for i in range(2):
        pathlib.Path(f"/tmp/x2-s{i}.pdf").write_bytes(
            get(client, SCHOOL_PDF, COORDINATOR_A).get_data()
        )
