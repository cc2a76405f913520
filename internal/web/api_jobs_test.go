package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/oklog/ulid/v2"
)

// TestAdminListsAndRetriesDeadJobs: a job that cannot succeed is dead with
// its reason, admins see it and retry it, and nobody else may.
func TestAdminListsAndRetriesDeadJobs(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.file()
		var id string
		h.st.DB().Raw(`SELECT j.id FROM jobs j JOIN claims c ON c.id = j.claim_id
			WHERE c.rma_number = ? AND j.kind = 'notify'`, rma).Scan(&id)
		if err := h.st.DB().Exec("UPDATE jobs SET event_id = ? WHERE id = ?", ulid.Make().String(), id).Error; err != nil {
			t.Fatal(err)
		}
		if err := h.app.Runner.Run(context.Background(), id); err == nil {
			t.Fatal("a job about a missing event succeeded")
		}
		list := h.must(h.do("GET", "/api/v1/admin/jobs?state=dead", "admin", nil), 200)
		items, _ := list.Body["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("dead jobs %s", list.Raw)
		}
		item := items[0].(map[string]any)
		if item["id"] != id || item["rma_number"] != rma || item["state"] != "dead" || item["last_error"] == "" ||
			item["kind"] != "notify" || item["attempts"] != float64(1) {
			t.Errorf("dead job %v", item)
		}
		for _, who := range []string{"rep", "tech", "buyer"} {
			h.must(h.do("GET", "/api/v1/admin/jobs?state=dead", who, nil), 403)
			h.must(h.do("POST", "/api/v1/admin/jobs/"+id+"/retry", who, nil), 403)
		}
		if r := h.must(h.do("GET", "/api/v1/admin/jobs?state=done&lang=es", "admin", nil), 422); r.reason("state") != "job_state_invalid" ||
			r.field("state") != "Solo se puede listar state=dead." {
			t.Errorf("bad state: %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/admin/jobs/"+ulid.Make().String()+"/retry", "admin", nil), 404)
		h.must(h.do("POST", "/api/v1/admin/jobs/nonsense/retry", "admin", nil), 404)
		r := h.must(h.do("POST", "/api/v1/admin/jobs/"+id+"/retry", "admin", nil), 200)
		if r.str("state") != "pending" || r.Body["attempts"] != float64(0) {
			t.Errorf("retried %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/admin/jobs/"+id+"/retry", "admin", nil), 404)
		list = h.must(h.do("GET", "/api/v1/admin/jobs?state=dead", "admin", nil), 200)
		if items, _ := list.Body["items"].([]any); len(items) != 0 {
			t.Errorf("still dead: %s", list.Raw)
		}
	})
}

// TestMailboxShowsDeadJobsWithARetryButton: the page admins read e-mails on
// lists the jobs given up; its button revives one; nobody else may.
func TestMailboxShowsDeadJobsWithARetryButton(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	rma := h.file()
	var id string
	h.st.DB().Raw(`SELECT j.id FROM jobs j JOIN claims c ON c.id = j.claim_id
		WHERE c.rma_number = ? AND j.kind = 'notify'`, rma).Scan(&id)
	h.st.DB().Exec("UPDATE jobs SET event_id = ? WHERE id = ?", ulid.Make().String(), id)
	_ = h.app.Runner.Run(context.Background(), id)
	admin := h.browserAs(t, "admin@example.com")
	res, body := admin.get("/admin/mail")
	if res.StatusCode != 200 || !strings.Contains(body, `action="/admin/jobs/`+id+`/retry"`) || !strings.Contains(body, rma) {
		t.Fatalf("mailbox %d without the dead job", res.StatusCode)
	}
	rep := h.browserAs(t, "rep@example.com")
	if res := rep.post("/admin/jobs/"+id+"/retry", url.Values{"_csrf": {rep.token("/queue")}}); res.StatusCode != 403 {
		t.Errorf("a rep retried: %d", res.StatusCode)
	}
	res = admin.post("/admin/jobs/"+id+"/retry", url.Values{"_csrf": {admin.token("/admin/mail")}})
	if res.StatusCode != 303 || res.Header.Get("Location") != "/admin/mail?done=job_retried" {
		t.Fatalf("retry: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := admin.get("/admin/mail"); strings.Contains(body, `/admin/jobs/`+id+`/retry`) {
		t.Error("the retried job is still listed")
	}
}
