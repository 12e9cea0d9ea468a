"""The demo's mailbox: a local SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message in a
Maildir folder and prints one line per message, so a newcomer sees the reminders arrive.

    python scripts/demo_mailbox.py --port 1025 --dir var/mailbox
    ls var/mailbox/new        # one file per message (open with any mail program or a text editor)
"""

from __future__ import annotations

import argparse
import mailbox
import signal
import threading
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class MaildirHandler:
    """Stores each message and announces it."""

    def __init__(self, folder: Path) -> None:
        self.box = mailbox.Maildir(folder, create=True)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        key = self.box.add(raw)
        message = message_from_bytes(raw, policy=policy.default)
        print(
            f"mail for {', '.join(envelope.rcpt_tos)}: {message['Subject']}  [new/{key}]",
            flush=True,
        )
        return "250 Message accepted for delivery"


def main() -> None:
    """Run until SIGTERM or Ctrl-C."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--dir", default="var/mailbox")
    args = parser.parse_args()
    controller = Controller(MaildirHandler(Path(args.dir)), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"demo mailbox listening on 127.0.0.1:{args.port}, saving to {args.dir}/new", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
