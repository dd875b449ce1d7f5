"""On PostgreSQL the database itself refuses overlapping ranges.

The service checks for overlaps first and names the clash, but two requests
registering overlapping ranges at the same moment could both pass that check
under READ COMMITTED. An exclusion constraint over the ranges as `inet`
values makes the second insert wait for the first and then fail. SQLite
needs no constraint: the hub opens its transactions IMMEDIATE, so writers
already take turns.
"""

from django.db import migrations

CONSTRAINT = "members_networkrange_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE members_networkrange ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist ((cidr::inet) inet_ops WITH &&)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE members_networkrange DROP CONSTRAINT {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(add_constraint, drop_constraint)]
