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
	"rma/internal/store/storetest"
	"rma/internal/web"
)

// upload posts data as the multipart field "file" named name; rma may
// end with a query ("?lang=ru").
func (h *harness) upload(rma, who, name string, data []byte) response {
	h.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		h.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	rma, query, _ := strings.Cut(rma, "?")
	req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/claims/"+rma+"/attachments?"+query, &body)
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

// eachBlobs runs fn on each database with attachments on disk and on an
// in-process S3-compatible server.
func eachBlobs(t *testing.T, fn func(t *testing.T, h *harness)) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d)+"/disk", func(t *testing.T) { fn(t, newHarness(t, storetest.Open(t, d))) })
		t.Run(string(d)+"/s3", func(t *testing.T) {
			fn(t, newHarnessEnv(t, storetest.Open(t, d), web.Limits{}, map[string]string{"RMA_BLOB_URL": evidencetest.S3URL(t)}))
		})
	}
}

// stored reads an attachment's bytes straight from the blob store.
func (h *harness) stored(id string) []byte {
	h.t.Helper()
	var key string
	if err := h.st.DB().Table("attachments").Select("blob_key").Where("id = ?", id).Scan(&key).Error; err != nil || key == "" {
		h.t.Fatalf("no attachment %s: %v", id, err)
	}
	data, err := h.app.Blobs.Get(context.Background(), key)
	if err != nil {
		h.t.Fatal(err)
	}
	return data
}

func TestUploadsAreCheckedByContent(t *testing.T) {
	eachBlobs(t, func(t *testing.T, h *harness) {
		rma := h.approved()
		// A phone photo with GPS: kept, without its metadata.
		r := h.must(h.upload(rma, "buyer", "IMG_0001.jpeg", evidencetest.JPEGWithGPS(t)), 201)
		if r.str("content_type") != "image/jpeg" || r.str("by_role") != "buyer" || r.str("name") != "IMG_0001.jpg" || r.str("id") == "" {
			t.Errorf("photo %s", r.Raw)
		}
		kept := h.stored(r.str("id"))
		if bytes.Contains(kept, evidencetest.GPSLatitude) || bytes.Contains(kept, []byte("Exif")) {
			t.Error("the stored photo still carries its GPS position")
		}
		got := h.must(h.do("GET", "/api/v1/claims/"+rma+"/attachments/"+r.str("id"), "rep", nil), 200)
		if !bytes.Equal(got.Raw, kept) || got.Header.Get("Content-Type") != "image/jpeg" {
			t.Error("the download is not the stored file")
		}
		h.must(h.do("GET", "/api/v1/claims/"+rma+"/attachments/"+r.str("id")+"/thumbnail", "buyer", nil), 200)
		// A PNG named .pdf is a PNG.
		r = h.must(h.upload(rma, "buyer", "receipt.pdf", evidencetest.PNG(t, evidencetest.TwoTone(8, 8))), 201)
		if r.str("content_type") != "image/png" || r.str("name") != "receipt.png" {
			t.Errorf("PNG named .pdf: %s", r.Raw)
		}
		// Refusals write nothing, neither rows nor files.
		before := h.snapshot()
		var files int64
		h.st.DB().Table("attachments").Count(&files)
		for _, tc := range []struct {
			name   string
			data   []byte
			status int
			reason string
		}{
			{"photo.jpg", []byte("<!doctype html><html><script>alert(1)</script></html>"), 422, "file_type_refused"},
			{"big.png", bytes.Repeat([]byte{0x89}, 11<<20), 413, "file_too_large"},
			{"bomb.png", evidencetest.HugePNG(t), 422, "image_too_large"},
		} {
			for _, lang := range []string{"en", "ru", "es"} {
				r := h.upload(rma+"?lang="+lang, "buyer", tc.name, tc.data)
				if r.Status != tc.status || r.reason("") != tc.reason || r.message() == "" {
					t.Errorf("%s (%s): %d %s", tc.name, lang, r.Status, r.Raw)
				}
			}
		}
		h.unchanged(before, "refused uploads")
		var after int64
		h.st.DB().Table("attachments").Count(&after)
		if after != files {
			t.Errorf("refused uploads left %d rows", after-files)
		}
		var claimID string
		h.st.DB().Table("claims").Select("id").Where("rma_number = ?", rma).Scan(&claimID)
		keys, err := h.app.Evidence.Files(context.Background(), claimID)
		if err != nil || len(keys) != 4 { // the photo and the PNG, each with its thumbnail
			t.Errorf("the claim's files: %v %v", keys, err)
		}
		list := h.must(h.do("GET", "/api/v1/claims/"+rma+"/attachments", "tech", nil), 200)
		if items, _ := list.Body["items"].([]any); len(items) != 2 {
			t.Errorf("list %s", list.Raw)
		}
	})
}

func TestForeignAttachmentsAreNotFound(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.approved()
		id := h.must(h.upload(rma, "tech", "box.png", evidencetest.PNG(t, evidencetest.TwoTone(4, 4))), 201).str("id")
		path := "/api/v1/claims/" + rma + "/attachments/" + id
		for _, who := range []string{"other", "tech.mad"} {
			r := h.must(h.do("GET", path, who, nil), 404)
			if r.reason("") != "claim_not_found" {
				t.Errorf("%s: %s", who, r.Raw)
			}
			h.must(h.do("GET", "/api/v1/claims/"+rma+"/attachments", who, nil), 404)
			h.must(h.upload(rma, who, "x.png", evidencetest.PNG(t, evidencetest.TwoTone(4, 4))), 404)
		}
		h.must(h.do("GET", path, "", nil), 401)
		h.must(h.upload(rma, "admin", "x.png", evidencetest.PNG(t, evidencetest.TwoTone(4, 4))), 403)
		// Another claim's file through this claim's address is not found either.
		mine := h.approved()
		h.must(h.do("GET", "/api/v1/claims/"+mine+"/attachments/"+id, "buyer", nil), 404)
		h.must(h.do("GET", "/api/v1/claims/"+mine+"/attachments/"+id+"/thumbnail", "buyer", nil), 404)
		for _, who := range []string{"buyer", "rep", "tech", "admin"} {
			h.must(h.do("GET", path, who, nil), 200)
		}
	})
}
