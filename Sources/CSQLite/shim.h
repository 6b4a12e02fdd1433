#include <sqlite3.h>

/// `sqlite3_db_config` is variadic, which Swift cannot call: this fixes the one use Ferry makes.
/// Closing then leaves the write-ahead log for the next opener instead of checkpointing it, which
/// would wait on fsync behind every byte the job just wrote to the same disk.
static inline int ferry_sqlite3_skip_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}
