"""writegate crash example: one transaction that updates a row, with PRAGMA synchronous as asked.

Usage: sqlite-update.py DATABASE FULL|OFF  (run in the work directory)
"""

import sqlite3
import sys

con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute(f"PRAGMA synchronous={sys.argv[2]}")
con.execute("BEGIN")
con.execute("UPDATE kv SET v = 'new' WHERE k = 'balance'")
con.execute("UPDATE kv SET v = ? WHERE k LIKE 'filler-%'", ("y" * 200,))
con.execute("COMMIT")
con.close()
