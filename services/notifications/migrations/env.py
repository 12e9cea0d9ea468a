"""Alembic environment of the notifications database; the engine comes from shared.migrations."""

from alembic import context

from services.notifications.adapters.orm import metadata

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
