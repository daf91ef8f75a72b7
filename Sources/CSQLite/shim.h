// libsqlite3 (Debian's libsqlite3-dev), for the benchmark's sqlite engine and the tests' oracle.
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast of -1 that Swift cannot import.
static inline void (*_Nonnull csqlite_transient(void))(void *) { return SQLITE_TRANSIENT; }
