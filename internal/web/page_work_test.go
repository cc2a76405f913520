package web_test

import (
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/claim"
)

var (
	workRMA  = regexp.MustCompile(`class="rma">(RMA-[^<]+)</a>`)
	workNext = regexp.MustCompile(`<a href="([^"]+)" rel="next" id="work-next">`)
)

// TestWorkListPagesInReturnDateOrder: a center with more devices than a
// page of its work list shows the soonest return dates first and links to
// the next page, which starts after the last device shown: with return
// dates that tie, the pages together list every device once, in the order
// of (return date, id). A forged cursor is refused in the page's language.
func TestWorkListPagesInReturnDateOrder(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		first := h.received()
		db := h.st.DB()
		var rows []map[string]any
		if err := db.Table("claims").Where("rma_number = ?", first).Find(&rows).Error; err != nil || len(rows) != 1 {
			t.Fatalf("claim %s: %v", first, err)
		}
		// 229 more devices at the center, whose return dates are three
		// dates shared by all: a page of 200 ends inside a tie.
		dues := []time.Time{start.AddDate(0, 0, 10), start.AddDate(0, 0, 12), start.AddDate(0, 0, 15)}
		var copies []map[string]any
		for i := range 229 {
			c := map[string]any{}
			for k, v := range rows[0] {
				c[k] = v
			}
			c["id"], c["rma_number"] = ulid.Make().String(), claim.NewRMANumber()
			c["open_imei"], c["open_device"], c["return_due_at"] = nil, nil, dues[i%len(dues)]
			copies = append(copies, c)
		}
		if err := db.Table("claims").CreateInBatches(copies, 50).Error; err != nil {
			t.Fatal(err)
		}
		var want []string
		if err := db.Table("claims").Where("center_code = ?", "BER").Order("return_due_at, id").
			Pluck("rma_number", &want).Error; err != nil {
			t.Fatal(err)
		}
		tech := h.browserAs(t, "tech@example.com")
		var got []string
		path, pages := "/work", 0
		for path != "" && pages < 5 {
			res, body := tech.get(path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", path, res.StatusCode)
			}
			pages++
			for _, m := range workRMA.FindAllStringSubmatch(body, -1) {
				got = append(got, m[1])
			}
			path = ""
			if m := workNext.FindStringSubmatch(body); m != nil {
				path = html.UnescapeString(m[1])
			}
		}
		if pages != 2 || !slices.Equal(got, want) {
			t.Errorf("%d pages listing %d devices, want 2 pages of the %d in order:\n%v\nwant\n%v", pages, len(got), len(want), got, want)
		}
		for _, bad := range []string{"/work?after=nonsense", "/work?after=" + ulid.Make().String() + "&at=yesterday"} {
			res, body := tech.get(bad + "&lang=es")
			if res.StatusCode < 400 || res.StatusCode >= 500 || !strings.Contains(body, "cursor no es válido") {
				t.Errorf("%s: %d\n%s", bad, res.StatusCode, body)
			}
		}
	})
}
