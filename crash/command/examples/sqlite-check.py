"""writegate crash example checker: the database passes PRAGMA integrity_check and the row is either
the old value with the old fillers or the new value with the new ones (one transaction: all or nothing).

Usage: sqlite-check.py DIR   exit 0 consistent, 1 not.
"""

import os
import sqlite3
import sys

path = os.path.join(sys.argv[1], "app.db")
if not os.path.exists(path):
    print("app.db is missing")
    sys.exit(1)
try:
    con = sqlite3.connect(path)
    integrity = con.execute("PRAGMA integrity_check").fetchall()
    if integrity != [("ok",)]:
        print(f"integrity_check: {integrity[0][0]}")
        sys.exit(1)
    rows = dict(con.execute("SELECT k, v FROM kv").fetchall())
except sqlite3.DatabaseError as error:
    print(f"sqlite: {error}")
    sys.exit(1)
fillers = {v for k, v in rows.items() if k.startswith("filler-")}
state = (rows.get("balance"), fillers, len(rows))
if state in (("old", {"x" * 200}, 101), ("new", {"y" * 200}, 101)):
    sys.exit(0)
print(f"the row is {rows.get('balance')!r} with {len(rows)} rows and fillers {sorted(f[:1] for f in fillers)}")
sys.exit(1)
