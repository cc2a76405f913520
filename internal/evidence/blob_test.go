package evidence

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"rma/internal/evidence/evidencetest"

	"rma/internal/fault"
)

// backends opens each kind of blob store: a directory, and an S3 bucket on
// an in-process S3-compatible server reached over HTTP.
func backends(t *testing.T) map[string]Blobs {
	t.Helper()
	dir, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dir.Close() })
	s3, err := OpenURL(context.Background(), evidencetest.S3URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s3.Close() })
	return map[string]Blobs{"disk": dir, "s3": s3}
}

// TestBothBackendsKeepFiles: the same checks pass on disk and on S3.
func TestBothBackendsKeepFiles(t *testing.T) {
	for name, b := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			photo := evidencetest.JPEGWithGPS(t)
			if err := b.Put(ctx, "claims/C1/A1", "image/jpeg", photo); err != nil {
				t.Fatal(err)
			}
			if err := b.Put(ctx, "claims/C1/A1.thumb.jpg", "image/jpeg", []byte("thumb")); err != nil {
				t.Fatal(err)
			}
			if err := b.Put(ctx, "claims/C2/A2", "application/pdf", []byte(evidencetest.PDF)); err != nil {
				t.Fatal(err)
			}
			got, err := b.Get(ctx, "claims/C1/A1")
			if err != nil || !bytes.Equal(got, photo) {
				t.Fatalf("get: %d bytes, %v", len(got), err)
			}
			if _, err := b.Get(ctx, "claims/C1/none"); !errors.Is(err, fault.ErrNoRecord) {
				t.Errorf("missing key: %v", err)
			}
			keys, err := b.List(ctx, ClaimPrefix("C1"))
			if err != nil || !slices.Equal(keys, []string{"claims/C1/A1", "claims/C1/A1.thumb.jpg"}) {
				t.Errorf("list C1: %v %v", keys, err)
			}
			for _, k := range keys {
				if err := b.Delete(ctx, k); err != nil {
					t.Fatal(err)
				}
			}
			if err := b.Delete(ctx, "claims/C1/A1"); err != nil {
				t.Errorf("deleting twice: %v", err)
			}
			if keys, err := b.List(ctx, ClaimPrefix("C1")); err != nil || len(keys) != 0 {
				t.Errorf("after delete: %v %v", keys, err)
			}
			if keys, _ := b.List(ctx, ClaimPrefix("C2")); len(keys) != 1 {
				t.Errorf("the other claim's file: %v", keys)
			}
		})
	}
}
