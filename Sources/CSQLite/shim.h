#ifndef POINTILLIST_CSQLITE_SHIM_H
#define POINTILLIST_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a cast macro Swift cannot import: tell SQLite to copy bound bytes.
static inline sqlite3_destructor_type pointillist_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}
#endif
