// Package templates embeds the HTML templates of the web pages.
package templates

import "embed"

// FS holds every template.
//
//go:embed *.html *.txt
var FS embed.FS
