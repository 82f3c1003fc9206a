"""writegate crash example: a SQLite database (rollback journal) with one row to update and some others.

Usage: sqlite-setup.py DIR
"""

import os
import sqlite3
import sys

con = sqlite3.connect(os.path.join(sys.argv[1], "app.db"))
con.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
con.execute("INSERT INTO kv VALUES ('balance', 'old')")
con.executemany("INSERT INTO kv VALUES (?, ?)", [(f"filler-{i}", "x" * 200) for i in range(100)])
con.commit()
con.close()
