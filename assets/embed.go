// Package assets embeds the static files the pages use (styles, scripts,
// fonts), served under /assets/.
package assets

import "embed"

// FS holds every static file.
//
//go:embed *.css *.js *.svg vendor
var FS embed.FS
