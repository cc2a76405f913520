package evidencetest

import (
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3URL starts an in-process S3-compatible server with an empty bucket for
// the test and returns the RMA_BLOB_URL that reaches it over HTTP (the
// credentials come from the AWS variables it sets).
func S3URL(t *testing.T) string {
	t.Helper()
	mem := s3mem.New()
	srv := httptest.NewServer(gofakes3.New(mem).Server())
	t.Cleanup(srv.Close)
	if err := mem.CreateBucket("evidence"); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	return "s3://evidence?region=eu-central-1&use_path_style=true&disable_https=true&endpoint=" + srv.URL
}
