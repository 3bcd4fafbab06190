/* Copies of the database: koe backup and koe restore (docs/ARCHITECTURE.md
 * §4.6). The copy is made with VACUUM INTO rather than the page-by-page
 * backup API: a page copy keeps the live file's free pages and page
 * history, a rebuild holds only the rows, in key order. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "koe/db.h"
#include "koe/util.h"
#include "db_internal.h"

/* A restore waits this long for a lock: enough for a command finishing,
 * never long enough to hide a running server (which holds the file open). */
#define RESTORE_BUSY_MS 1000

/* Steps a statement that may return one row (a PRAGMA) or none. Returns the
 * SQLite code of the step (SQLITE_ROW or SQLITE_DONE on success); *out gets
 * the first column of the row when given. */
static int
step_pragma(struct db *db, enum stmt s, sqlite3_int64 *out)
{
	sqlite3_stmt *st = db_stmt(db, s);
	int rc;
	if (st == NULL)
		return sqlite3_errcode(db->h);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && out)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

enum koe_err
db_integrity_check(struct db *db, struct koe_msg *msg)
{
	sqlite3_stmt *st = db_stmt(db, S_INTEGRITY);
	enum koe_err err = KOE_EDB;
	const unsigned char *first;
	int rc;

	if (st == NULL)
		return koe_msg_set(msg, KOE_EDB, "%s", sqlite3_errmsg(db->h));
	rc = sqlite3_step(st);
	first = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
	if (first && strcmp((const char *)first, "ok") == 0)
		err = KOE_OK;
	else if (first)
		koe_msg_set(msg, KOE_OK, "integrity check failed: %s", (const char *)first);
	else
		koe_msg_set(msg, KOE_OK, "integrity check failed: %s", sqlite3_errmsg(db->h));
	sqlite3_reset(st);
	return err;
}

/* The header's file format bytes (offsets 18 and 19): 1 for a rollback
 * journal, 2 for WAL. A copy must be 1: opened anywhere, it needs no -wal
 * or -shm beside it and has none. */
static bool
rollback_header(const char *path)
{
	unsigned char h[20];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok = fd >= 0 && read(fd, h, sizeof(h)) == (ssize_t)sizeof(h) && h[18] == 1 &&
	          h[19] == 1;
	if (fd >= 0)
		close(fd);
	return ok;
}

static enum koe_err
sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int bad = fd < 0 || fsync(fd) != 0;
	if (fd >= 0) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return bad ? KOE_EIO : KOE_OK;
}

/* The checks every copy passes before it gets its name. */
static enum koe_err
check_copy(const char *tmp, struct koe_msg *msg)
{
	struct db *c = NULL;
	struct koe_msg m;
	sqlite3_int64 free_pages = -1;
	enum koe_err err = db_open(tmp, DB_READONLY, &c, &m);

	if (err != KOE_OK)
		return koe_msg_set(msg, err, "the copy cannot be read back: %s", m.text);
	if ((err = db_integrity_check(c, &m)) != KOE_OK)
		koe_msg_set(msg, err, "the copy is damaged: %s", m.text);
	else if (step_pragma(c, S_FREELIST, &free_pages) != SQLITE_ROW || free_pages != 0)
		err = koe_msg_set(msg, KOE_EDB, "the copy has %lld free pages", (long long)free_pages);
	else if (!rollback_header(tmp))
		err = koe_msg_set(msg, KOE_EDB, "the copy is not a single rollback-journal file");
	db_close(c);
	return err;
}

/* KOE_EEXIST when path exists; sets msg. */
static enum koe_err
refuse_existing(const char *path, const char *suffix, struct koe_msg *msg)
{
	char p[4200];
	struct stat sb;
	snprintf(p, sizeof(p), "%s%s", path, suffix);
	if (lstat(p, &sb) == 0)
		return koe_msg_set(msg, KOE_EEXIST,
		                   *suffix ? "'%s' exists: a write-ahead log without its database, "
		                             "which SQLite would apply to the new file; move it away"
		                           : "'%s' exists; a copy never replaces a file",
		                   p);
	return KOE_OK;
}

enum koe_err
db_backup(struct db *db, const char *out, struct koe_msg *msg)
{
	struct util_atomic a;
	sqlite3_stmt *st;
	enum koe_err err;

	if ((err = refuse_existing(out, "", msg)) != KOE_OK ||
	    (err = refuse_existing(out, "-wal", msg)) != KOE_OK)
		return err;
	/* An empty file made 0600 by us: VACUUM INTO fills an empty file. */
	if (util_atomic_open(&a, out, ".tmp-XXXXXX") != KOE_OK || util_atomic_sync(&a) != KOE_OK) {
		util_atomic_abort(&a);
		return koe_msg_set(msg, KOE_EIO, "cannot create a file beside '%s': %s", out,
		                   strerror(errno));
	}
	if ((st = db_stmt(db, S_VACUUM_INTO)) == NULL) {
		err = koe_msg_set(msg, KOE_EDB, "%s", sqlite3_errmsg(db->h));
		goto fail;
	}
	sqlite3_bind_text(st, 1, a.tmp, -1, SQLITE_STATIC);
	if (db_step_done(st) != KOE_OK) {
		err = koe_msg_set(msg, KOE_EDB, "cannot copy the database: %s", sqlite3_errmsg(db->h));
		goto fail;
	}
	/* VACUUM INTO writes its output without syncing it. */
	if (sync_path(a.tmp) != KOE_OK) {
		err = koe_msg_set(msg, KOE_EIO, "cannot write '%s': %s", a.tmp, strerror(errno));
		goto fail;
	}
	if ((err = check_copy(a.tmp, msg)) != KOE_OK)
		goto fail;
	if (util_atomic_commit_new(&a) != KOE_OK) {
		err = koe_msg_set(msg, errno == EEXIST ? KOE_EEXIST : KOE_EIO, "cannot name the copy '%s': %s",
		                  out, strerror(errno));
		goto fail;
	}
	return KOE_OK;
fail:
	util_atomic_abort(&a);
	return err;
}

/* Opens path for itself alone: exclusive locking mode set before the first
 * read, then an exclusive transaction, which fails while any other
 * connection has the file open (in WAL mode each keeps a shared lock for as
 * long as it is open). The lock is kept after the transaction ends. */
static enum koe_err
open_alone(const char *path, struct db **out, struct koe_msg *msg)
{
	struct db *d = calloc(1, sizeof(*d));
	sqlite3_int64 version = -1;
	int rc;

	*out = NULL;
	if (d == NULL)
		return koe_msg_set(msg, KOE_ENOMEM, "out of memory");
	if (sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		koe_msg_set(msg, KOE_OK, "cannot open '%s': %s", path,
		            d->h ? sqlite3_errmsg(d->h) : "out of memory");
		db_close(d);
		return KOE_EDB;
	}
	sqlite3_extended_result_codes(d->h, 1);
	sqlite3_busy_timeout(d->h, RESTORE_BUSY_MS);
	rc = step_pragma(d, S_LOCK_EXCLUSIVE, NULL);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = step_pragma(d, S_BEGIN_EXCLUSIVE, NULL);
	if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED) {
		db_close(d);
		return koe_msg_set(msg, KOE_ESTATE,
		                   "'%s' is in use (is koe serve running on it?); stop it first", path);
	}
	if (rc == SQLITE_DONE)
		rc = step_pragma(d, S_USER_VERSION, &version);
	if (rc != SQLITE_ROW) {
		koe_msg_set(msg, KOE_OK, "cannot read '%s' (%s); move it aside with its -wal and -shm "
		                         "files and restore again",
		            path, sqlite3_errmsg(d->h));
		db_close(d);
		return KOE_EDB;
	}
	if (version < 1 || version > DB_SCHEMA_VERSION) {
		db_close(d);
		return koe_msg_set(msg, KOE_EINVAL, "'%s' is not a koe database; not replaced", path);
	}
	if (step_pragma(d, S_COMMIT, NULL) != SQLITE_DONE) {
		koe_msg_set(msg, KOE_OK, "%s", sqlite3_errmsg(d->h));
		db_close(d);
		return KOE_EDB;
	}
	*out = d;
	return KOE_OK;
}

enum koe_err
db_restore_over(struct db *src, const char *path, struct koe_msg *msg)
{
	struct db *d = NULL;
	sqlite3_backup *b;
	enum koe_err err = open_alone(path, &d, msg);
	int rc;

	if (err != KOE_OK)
		return err;
	/* A database made by an older koe may have a wider mode. */
	if (chmod(path, 0600) != 0) {
		err = koe_msg_set(msg, KOE_EIO, "cannot make '%s' private: %s", path, strerror(errno));
		goto done;
	}
	/* One step: every page in one transaction of the destination. */
	b = sqlite3_backup_init(d->h, "main", src->h, "main");
	rc = b ? sqlite3_backup_step(b, -1) : sqlite3_errcode(d->h);
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
		err = koe_msg_set(msg, KOE_EDB, "cannot restore into '%s': %s (it is unchanged)", path,
		                  sqlite3_errmsg(d->h));
		goto done;
	}
	rc = step_pragma(d, S_CHECKPOINT, NULL);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = koe_msg_set(msg, KOE_EDB, "cannot checkpoint '%s': %s", path, sqlite3_errmsg(d->h));
done:
	db_close(d);
	return err;
}
