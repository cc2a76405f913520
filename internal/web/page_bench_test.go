package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rma/internal/evidence/evidencetest"
)

// postFile sends a page's multipart form with a file, as a browser would.
func (b *browserClient) postFile(path, token, name string, data []byte) *http.Response {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("_csrf", token)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", b.h.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := b.http.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// TestBenchFormsOnTheClaimPage: the technician fills in the checklist and
// adds a photo from the claim's page; the buyer sees the photo on theirs;
// a file that is not evidence is refused on the page with its reason.
func TestBenchFormsOnTheClaimPage(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	rma := h.received()
	tech := h.browserAs(t, "tech@example.com")
	tok := tech.token("/claims/" + rma)
	res := tech.post("/bench/"+rma+"/intake-check", url.Values{"_csrf": {tok}, "condition": {"good"},
		"accessories": {"charger, cable"}, "activation_lock": {"off"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("checklist: %d", res.StatusCode)
	}
	r := h.must(h.do("GET", "/api/v1/claims/"+rma, "rep", nil), 200)
	if ic, _ := r.Body["intake_check"].(map[string]any); ic["condition"] != "good" || len(ic["accessories"].([]any)) != 2 {
		t.Errorf("checklist from the page: %s", r.Raw)
	}
	if res := tech.postFile("/bench/"+rma+"/attachments", tok, "box.jpg", evidencetest.JPEGWithGPS(t)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	if res := tech.postFile("/bench/"+rma+"/attachments", tok, "page.jpg", []byte("<html><script>x</script></html>")); res.StatusCode != 422 {
		t.Errorf("HTML upload from the page: %d", res.StatusCode)
	}
	buyer := h.browserAs(t, "buyer@example.com")
	_, body := buyer.get("/claims/" + rma)
	if !strings.Contains(body, "box.jpg") || !strings.Contains(body, "/thumbnail") {
		t.Error("the buyer's page does not list the photo")
	}
	other := h.browserAs(t, "other@example.com")
	if res, _ := other.get("/claims/" + rma); res.StatusCode != 404 {
		t.Errorf("another buyer: %d", res.StatusCode)
	}
}
