package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"rma/internal/evidence/evidencetest"
)

// postFile posts data as the multipart field "file" named name to path.
func (h *harness) postFile(path, who, name string, data []byte) response {
	h.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		h.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", h.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+h.tokens[who])
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{Status: res.StatusCode, Raw: raw, Header: res.Header}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		json.Unmarshal(raw, &out.Body)
	}
	return out
}

// TestDisputeEvidence: the buyer's photo is kept without its GPS position,
// the seller adds a PDF-named PNG kept as what it is, both sides and staff
// read them, strangers get 404 (another buyer, another seller, another
// dispute's address), a technician 403, and a refused file writes nothing.
func TestDisputeEvidence(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		n := h.must(h.do("POST", "/api/v1/disputes", "buyer", map[string]any{"order_number": "ORD-S1",
			"reason": "damaged", "description": "cracked", "remedy": "full_refund"}), 201).str("dispute_number")
		base := "/api/v1/disputes/" + n + "/attachments"
		r := h.must(h.postFile(base, "buyer", "IMG_0001.jpeg", evidencetest.JPEGWithGPS(t)), 201)
		photo := r.str("id")
		if r.str("content_type") != "image/jpeg" || r.str("by_role") != "buyer" || r.str("name") != "IMG_0001.jpg" {
			t.Errorf("photo %s", r.Raw)
		}
		got := h.must(h.do("GET", base+"/"+photo, "seller.SHOP", nil), 200)
		if bytes.Contains(got.Raw, evidencetest.GPSLatitude) || bytes.Contains(got.Raw, []byte("Exif")) ||
			got.Header.Get("Content-Type") != "image/jpeg" {
			t.Error("the seller gets the photo with its GPS position, or not as a JPEG")
		}
		h.must(h.do("GET", base+"/"+photo+"/thumbnail", "rep", nil), 200)
		r = h.must(h.postFile(base, "seller.SHOP", "proof.pdf", evidencetest.PNG(t, evidencetest.TwoTone(8, 8))), 201)
		if r.str("content_type") != "image/png" || r.str("name") != "proof.png" || r.str("by_role") != "seller" {
			t.Errorf("seller's file %s", r.Raw)
		}
		var rows int64
		h.st.DB().Table("dispute_attachments").Count(&rows)
		for _, lang := range []string{"en", "ru", "es"} {
			r := h.postFile(base+"?lang="+lang, "buyer", "x.jpg", []byte("<html><script>alert(1)</script></html>"))
			if r.Status != 422 || r.reason("") != "file_type_refused" || r.message() == "" {
				t.Errorf("a script as a photo (%s): %d %s", lang, r.Status, r.Raw)
			}
		}
		var after int64
		h.st.DB().Table("dispute_attachments").Count(&after)
		if after != rows {
			t.Errorf("a refused file left %d rows", after-rows)
		}
		for _, who := range []string{"other", "seller.OTHER"} {
			h.must(h.do("GET", base+"/"+photo, who, nil), 404)
			h.must(h.do("GET", base, who, nil), 404)
			h.must(h.postFile(base, who, "x.png", evidencetest.PNG(t, evidencetest.TwoTone(4, 4))), 404)
		}
		h.must(h.do("GET", base+"/"+photo, "tech", nil), 403)
		h.must(h.postFile(base, "admin", "x.png", evidencetest.PNG(t, evidencetest.TwoTone(4, 4))), 403)
		// A claim's file is not found through a dispute's address.
		rma := h.approved()
		claimFile := h.must(h.upload(rma, "buyer", "box.png", evidencetest.PNG(t, evidencetest.TwoTone(4, 4))), 201).str("id")
		h.must(h.do("GET", base+"/"+claimFile, "buyer", nil), 404)
		list := h.must(h.do("GET", base, "admin", nil), 200)
		if items, _ := list.Body["items"].([]any); len(items) != 2 {
			t.Errorf("list %s", list.Raw)
		}
		v := h.must(h.do("GET", "/api/v1/disputes/"+n, "buyer", nil), 200)
		if tl, _ := v.Body["timeline"].([]any); len(tl) != 3 || v.str("status") != "open" {
			t.Errorf("the timeline should show both files: %s", v.Raw)
		}
		var keys []string
		h.st.DB().Table("dispute_attachments").Pluck("blob_key", &keys)
		for _, k := range keys {
			if !strings.HasPrefix(k, "disputes/") {
				t.Errorf("blob key %q", k)
			}
			if _, err := h.app.Blobs.Get(context.Background(), k); err != nil {
				t.Errorf("blob %s: %v", k, err)
			}
		}
	})
}
