package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/i18n"
	"rma/internal/order"
)

// maxImportBytes is the largest order file read; a larger one is refused
// whole rather than read in part.
const maxImportBytes = 10 << 20

// importColumns are the CSV columns every order file has, in order.
var importColumns = []string{"order_number", "buyer_email", "buyer_name", "shipping_address", "completed_at",
	"country", "product_name", "category", "imei", "coverages"}

// optionalImportColumns may follow them, in any order.
var optionalImportColumns = []string{"serial_number", "seller", "price", "currency", "promised_delivery_at", "delivered_at"}

// problem is one thing wrong with a line: a message key, the column it is
// in (when it is in one) and the message's values.
type problem struct {
	key, column string
	args        map[string]any
}

// importLine is a refused line and its problems; line 0 is the file.
type importLine struct {
	line     int
	problems []problem
}

// importRow is an order read from its line.
type importRow struct {
	line  int
	order order.Order
}

// refusedLine is a refused line as the page shows it.
type refusedLine struct {
	Line     int
	Problems []string
}

// parseOrders reads an order file: comma or semicolon separated (told by
// the header line), UTF-8, with the required columns and no unknown ones.
// It checks every line and returns the orders of the good lines and every
// problem of every other line.
func parseOrders(data []byte) ([]importRow, []importLine) {
	whole := func(key string) []importLine { return []importLine{{line: 0, problems: []problem{{key: key}}}} }
	if len(data) > maxImportBytes {
		return nil, whole("import.too_large")
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !isText(data) {
		return nil, whole("import.not_csv")
	}
	if !utf8.Valid(data) {
		return nil, whole("import.not_utf8")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = separator(data)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, []importLine{{line: 1, problems: []problem{csvProblem(err)}}}
	}
	col, bad := readHeader(header)
	if len(bad) > 0 {
		return nil, []importLine{{line: 1, problems: bad}}
	}
	var rows []importRow
	var refused []importLine
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			refused = append(refused, importLine{line: line, problems: []problem{csvProblem(err)}})
			continue
		}
		line, _ := cr.FieldPos(0)
		o, problems := readOrder(rec, col, len(header))
		if first, dup := seen[o.Number]; dup && o.Number != "" {
			problems = append(problems, problem{key: "import.repeats", column: "order_number",
				args: map[string]any{"Number": o.Number, "Line": first}})
		} else if o.Number != "" {
			seen[o.Number] = line
		}
		if len(problems) > 0 {
			refused = append(refused, importLine{line: line, problems: problems})
			continue
		}
		rows = append(rows, importRow{line: line, order: o})
	}
	return rows, refused
}

// isText reports whether data looks like text rather than an image, an
// archive or a spreadsheet's own format (an .xlsx is a zip file).
func isText(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return false
	}
	return strings.HasPrefix(http.DetectContentType(data), "text/")
}

// separator tells the file's separator from its header line: the comma, or
// the semicolon that spreadsheets write where the comma is the decimal
// mark, whichever appears more often outside quotes.
func separator(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	counts := map[rune]int{}
	quoted := false
	for _, r := range string(first) {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ',' || r == ';'):
			counts[r]++
		}
	}
	if counts[';'] > counts[','] {
		return ';'
	}
	return ','
}

// readHeader maps the column names to their places, and names every
// required column that is missing and every given one it does not know.
func readHeader(header []string) (map[string]int, []problem) {
	col := map[string]int{}
	var bad []problem
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case name == "":
			continue
		case !slices.Contains(importColumns, name) && !slices.Contains(optionalImportColumns, name):
			bad = append(bad, problem{key: "import.unknown_column", args: map[string]any{"Column": strings.TrimSpace(h)}})
		case hasKey(col, name):
			bad = append(bad, problem{key: "import.duplicate_column", args: map[string]any{"Column": name}})
		}
		if _, ok := col[name]; !ok {
			col[name] = i
		}
	}
	var missing []problem
	for _, name := range importColumns {
		if _, ok := col[name]; !ok {
			missing = append(missing, problem{key: "import.missing_column", args: map[string]any{"Column": name}})
		}
	}
	return col, append(missing, bad...)
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// readOrder reads one line into an order and returns every problem of it,
// in the order of the columns.
func readOrder(rec []string, col map[string]int, width int) (order.Order, []problem) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) { // optional columns may be absent
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var problems []problem
	if len(rec) > width {
		problems = append(problems, problem{key: "import.extra_values"})
	}
	o := order.Order{Number: get("order_number"), BuyerEmail: get("buyer_email"), BuyerName: get("buyer_name"),
		ShippingAddress: strings.Split(get("shipping_address"), "|"), Country: get("country"),
		ProductName: get("product_name"), Category: get("category"), IMEI: get("imei"),
		SerialNumber: get("serial_number"), SellerCode: get("seller")}
	in := orderExtras{CompletedAt: get("completed_at"), PromisedDeliveryAt: get("promised_delivery_at"),
		DeliveredAt: get("delivered_at"), Amount: get("price"), Currency: get("currency")}
	for _, k := range strings.FieldsFunc(get("coverages"), func(r rune) bool { return r == ' ' || r == ';' || r == ',' }) {
		o.Coverages = append(o.Coverages, coverage.Kind(k))
	}
	// Both checks run, so that a bad date does not hide a bad e-mail; a
	// column keeps its first problem.
	fields := map[string]string{}
	if err := in.apply(&o); err != nil {
		fe, _ := fault.As(err)
		maps.Copy(fields, fe.Fields)
	}
	valid, err := order.Validate(o)
	var args map[string]any
	if fe, ok := fault.As(err); ok {
		args = fe.Args
		for f, r := range fe.Fields {
			if _, seen := fields[f]; !seen {
				fields[f] = r
			}
		}
	}
	for _, name := range append(slices.Clone(importColumns), optionalImportColumns...) {
		if r, ok := fields[name]; ok {
			problems = append(problems, problem{key: r, column: name, args: args})
		}
	}
	return valid, problems
}

// csvProblem names a line the CSV reader could not read.
func csvProblem(err error) problem {
	if errors.Is(err, csv.ErrQuote) || errors.Is(err, csv.ErrBareQuote) {
		return problem{key: "import.bad_quote"}
	}
	return problem{key: "import.unreadable"}
}

// problemsOf turns a service's refusal of a line into its problems.
func problemsOf(err error) []problem {
	fe, _ := fault.As(err)
	if len(fe.Fields) == 0 {
		return []problem{{key: fe.Reason, args: fe.Args}}
	}
	var out []problem
	for _, name := range append(slices.Clone(importColumns), optionalImportColumns...) {
		if r, ok := fe.Fields[name]; ok {
			out = append(out, problem{key: r, column: name, args: fe.Args})
		}
	}
	return out
}

// problemText writes a problem in lang: the column, then what is wrong.
func problemText(cat *i18n.Catalog, lang string) func(problem) string {
	return func(p problem) string {
		text := cat.T(lang, p.key, p.args)
		if p.column == "" {
			return text
		}
		return cat.T(lang, "import.in_column", map[string]any{"Column": p.column, "Problem": text})
	}
}

// describeLines merges the problems of each line, in line order, as the
// page shows them.
func describeLines(lines []importLine, msg func(problem) string) []refusedLine {
	slices.SortStableFunc(lines, func(a, b importLine) int { return a.line - b.line })
	var out []refusedLine
	for _, l := range lines {
		if n := len(out); n > 0 && out[n-1].Line == l.line {
			for _, p := range l.problems {
				out[n-1].Problems = append(out[n-1].Problems, msg(p))
			}
			continue
		}
		r := refusedLine{Line: l.line}
		for _, p := range l.problems {
			r.Problems = append(r.Problems, msg(p))
		}
		out = append(out, r)
	}
	return out
}
