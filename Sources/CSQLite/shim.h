#ifndef NEWSMON_CSQLITE_SHIM_H
#define NEWSMON_CSQLITE_SHIM_H
#include <sqlite3.h>
/* SQLITE_TRANSIENT casts -1 to a function pointer: a macro Swift cannot import. */
static inline void (*newsmon_sqlite_transient(void))(void *) { return SQLITE_TRANSIENT; }
#endif
