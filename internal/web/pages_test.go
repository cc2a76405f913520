package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// browserClient is a cookie-keeping HTTP client signed in through the login
// form, as a browser would be.
type browserClient struct {
	t    *testing.T
	h    *harness
	http *http.Client
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)">`)

func (h *harness) browserAs(t *testing.T, email string) *browserClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browserClient{t: t, h: h, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	if email != "" {
		tok := b.token("/login")
		res := b.post("/login", url.Values{"email": {email}, "password": {password}, "_csrf": {tok}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in as %s: %d", email, res.StatusCode)
		}
	}
	return b
}

func (b *browserClient) get(path string) (*http.Response, string) {
	b.t.Helper()
	res, err := b.http.Get(b.h.srv.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// token reads the form token off a page.
func (b *browserClient) token(path string) string {
	b.t.Helper()
	_, body := b.get(path)
	m := csrfMeta.FindStringSubmatch(body)
	if m == nil || m[1] == "" {
		b.t.Fatalf("no form token on %s", path)
	}
	return m[1]
}

func (b *browserClient) post(path string, form url.Values, headers ...string) *http.Response {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.h.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := b.http.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func TestSessionCookieIsSafeAndRotatedAtSignIn(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	b := h.browserAs(t, "buyer@example.com")
	u, _ := url.Parse(h.srv.URL)
	session := func() *http.Cookie {
		for _, c := range b.http.Jar.Cookies(u) {
			if c.Name == "rma_session" {
				return c
			}
		}
		return nil
	}
	first := session()
	if first == nil {
		t.Fatal("no session cookie")
	}
	// The Set-Cookie header itself carries the flags.
	tok := b.token("/login")
	req, _ := http.NewRequest("POST", h.srv.URL+"/login", strings.NewReader(url.Values{"email": {"buyer@example.com"},
		"password": {password}, "_csrf": {tok}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := b.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	set := strings.Join(res.Header.Values("Set-Cookie"), "\n")
	if !strings.Contains(set, "rma_session=") || !strings.Contains(set, "HttpOnly") || !strings.Contains(set, "SameSite=Lax") {
		t.Errorf("cookie %q", set)
	}
	second := session()
	if second == nil || second.Value == first.Value {
		t.Fatal("the session was not replaced at sign-in")
	}
	// The old session no longer opens anything.
	old := &http.Client{CheckRedirect: b.http.CheckRedirect}
	req, _ = http.NewRequest("GET", h.srv.URL+"/claims", nil)
	req.AddCookie(&http.Cookie{Name: "rma_session", Value: first.Value})
	res, err = old.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("old session: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestFormsNeedTheirTokenAndOrigin(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		b := h.browserAs(t, "buyer@example.com")
		tok := b.token("/claims/new")
		form := url.Values{"order_number": {"ORD-1"}, "coverage": {"extended_warranty"}, "imei": {imeiA},
			"description": {"It no longer turns on."}}
		other := h.browserAs(t, "other@example.com")
		otherToken := other.token("/claims")
		before := h.snapshot()
		if res := b.post("/claims/new", form); res.StatusCode != 403 {
			t.Errorf("no token: %d", res.StatusCode)
		}
		form.Set("_csrf", "forged-token")
		if res := b.post("/claims/new", form); res.StatusCode != 403 {
			t.Errorf("wrong token: %d", res.StatusCode)
		}
		form.Set("_csrf", otherToken)
		if res := b.post("/claims/new", form); res.StatusCode != 403 {
			t.Errorf("another session's token: %d", res.StatusCode)
		}
		form.Set("_csrf", tok)
		if res := b.post("/claims/new", form, "Sec-Fetch-Site", "cross-site"); res.StatusCode != 403 {
			t.Errorf("cross-site: %d", res.StatusCode)
		}
		if res := b.post("/claims/new", form, "Origin", "https://evil.example"); res.StatusCode != 403 {
			t.Errorf("foreign origin: %d", res.StatusCode)
		}
		h.unchanged(before, "refused forms")
		res := b.post("/claims/new", form)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/claims/RMA-") {
			t.Fatalf("proper form: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

func TestClaimPagesOfOthersAreNotFound(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.file()
		for who, want := range map[string]int{"buyer@example.com": 200, "other@example.com": 404, "rep@example.com": 200,
			"tech@example.com": 200, "tech.mad@example.com": 404, "admin@example.com": 200} {
			b := h.browserAs(t, who)
			if res, _ := b.get("/claims/" + rma); res.StatusCode != want {
				t.Errorf("%s reads: %d, want %d", who, res.StatusCode, want)
			}
		}
		other := h.browserAs(t, "other@example.com")
		before := h.snapshot()
		res := other.post("/claims/"+rma+"/cancel", url.Values{"_csrf": {other.token("/claims")}})
		if res.StatusCode != 404 {
			t.Errorf("foreign cancel: %d", res.StatusCode)
		}
		h.unchanged(before, "a foreign cancel")
		anon := h.browserAs(t, "")
		if res, _ := anon.get("/claims/" + rma); res.StatusCode != http.StatusSeeOther {
			t.Errorf("signed out: %d", res.StatusCode)
		}
		buyer := h.browserAs(t, "buyer@example.com")
		if res, _ := buyer.get("/admin"); res.StatusCode != 403 {
			t.Errorf("buyer on the dashboard: %d", res.StatusCode)
		}
	})
}

func upload(t *testing.T, b *browserClient, csv string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", b.token("/admin/orders"))
	f, _ := w.CreateFormFile("file", "orders.csv")
	_, _ = f.Write([]byte(csv))
	w.Close()
	req, _ := http.NewRequest("POST", b.h.srv.URL+"/admin/orders", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := b.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestOrderImportIsAllOrNothing(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		admin := h.browserAs(t, "admin@example.com")
		header := "order_number,buyer_email,buyer_name,shipping_address,completed_at,country,product_name,category,imei,coverages\n"
		good := "ORD-I1,ana@example.com,Ana Gómez,Calle Mayor 1|28013 Madrid,2026-10-01,ES,Galaxy,phone,353911101234566,extended_warranty accidental_damage\n" +
			"ORD-I2,ivan@example.com,Иван Петров,Brīvības iela 77|Rīga,2026-09-01T10:00:00Z,LV,iPhone,phone,,extended_warranty\n"
		bad := "ORD-I3,not-an-email,X,Street,2026-10-01,ES,P,phone,123,theft\n" +
			"ORD-I4,x@example.com,X,Street,yesterday,ES,P,phone,,extended_warranty\n"
		before := h.snapshot()
		res, body := upload(t, admin, header+good+bad)
		if res.StatusCode != 422 || !strings.Contains(body, "<td>4</td>") || !strings.Contains(body, "<td>5</td>") {
			t.Errorf("refused import: %d\n%s", res.StatusCode, body)
		}
		h.unchanged(before, "a refused import")
		res, body = upload(t, admin, header+good)
		if res.StatusCode != 200 || !strings.Contains(body, "2 orders imported") {
			t.Errorf("import: %d\n%s", res.StatusCode, body)
		}
		if after := h.snapshot(); after.Orders != before.Orders+2 {
			t.Errorf("orders %d -> %d", before.Orders, after.Orders)
		}
		if res, _ := upload(t, h.browserAs(t, "rep@example.com"), header+good); res.StatusCode != 403 {
			t.Errorf("rep import: %d", res.StatusCode)
		}
	})
}

func TestAdminFormsShowErrorsNextToFields(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	admin := h.browserAs(t, "admin@example.com")
	res := admin.post("/admin/centers", url.Values{"_csrf": {admin.token("/admin/centers")}, "code": {"VIE"},
		"name": {"Wien"}, "country": {"AT"}, "time_zone": {"Europe/Vienna"}, "address": {"Praterstraße 1\n1020 Wien"},
		"serves": {"AT"}}) // AT is Berlin's in the harness
	if res.StatusCode != 409 {
		t.Errorf("taken country: %d", res.StatusCode)
	}
	res = admin.post("/admin/centers", url.Values{"_csrf": {admin.token("/admin/centers")}, "code": {"VIE"},
		"name": {"Wien"}, "country": {"AT"}, "time_zone": {"Europe/Vienna"}, "address": {"Praterstraße 1\n1020 Wien"},
		"serves": {"SK, HU"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("new center: %d", res.StatusCode)
	}
	res = admin.post("/admin/users", url.Values{"_csrf": {admin.token("/admin/users")}, "email": {"t3@example.com"},
		"name": {"Tech Three"}, "role": {"technician"}, "center_code": {"VIE"}, "language": {"es"}, "password": {"long-enough-1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("new technician: %d", res.StatusCode)
	}
	_, body := admin.get("/admin/users")
	if !strings.Contains(body, "t3@example.com") {
		t.Error("the new account is not listed")
	}
}
