// Package migrations embeds the versioned SQL schema. Files are named
// NNNN_description.sql, or NNNN_description.mysql.sql and
// NNNN_description.sqlite.sql where the two dialects need different
// statements; each file holds one DDL change. Shared files write times as
// DATETIME(6) (microseconds on MySQL); the runner declares them DATETIME on
// SQLite, whose driver reads times only from columns declared so.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
