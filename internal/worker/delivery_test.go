package worker_test

import (
	"context"
	"errors"
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/hibiken/asynq"

	"rma/internal/claim"
	rmamail "rma/internal/mail"
	"rma/internal/tasks"
)

// smtpServer is a real SMTP server on loopback that keeps what it receives.
type smtpServer struct {
	addr string
	mu   sync.Mutex
	got  []received
	// hold, when set, makes DATA wait until it is closed (or the client leaves).
	hold chan struct{}
	// refuse lists recipients the server turns away for now (451).
	refuse map[string]bool
	// slow, when set, is how long DATA takes before the server accepts.
	slow time.Duration
	// inData receives once from every DATA that starts to wait on hold.
	inData chan struct{}
}

type received struct {
	from string
	to   []string
	msg  *mail.Message
	body string
}

func startSMTP(t testing.TB) *smtpServer {
	t.Helper()
	s := &smtpServer{inData: make(chan struct{}, 16)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{srv: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

type smtpSession struct {
	srv  *smtpServer
	from string
	to   []string
}

func (s *smtpSession) Reset()                                      { s.from, s.to = "", nil }
func (s *smtpSession) Logout() error                               { return nil }
func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if s.srv.refuse[to] {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "try again later"}
	}
	s.to = append(s.to, to)
	return nil
}
func (s *smtpSession) Data(r io.Reader) error {
	s.srv.mu.Lock()
	hold, slow := s.srv.hold, s.srv.slow
	s.srv.mu.Unlock()
	time.Sleep(slow)
	if hold != nil {
		s.srv.inData <- struct{}{}
		<-hold
		return errors.New("451 aborted")
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	s.srv.got = append(s.srv.got, received{from: s.from, to: s.to, msg: msg, body: string(raw)})
	s.srv.mu.Unlock()
	return nil
}

// useSMTP points the app's mailer at the test server.
func (e *env) useSMTP(s *smtpServer) {
	e.t.Helper()
	e.useSMTPAt(s.addr, "2s")
}

// useSMTPAt points the app's mailer at an SMTP server's address with a
// timeout for each exchange.
func (e *env) useSMTPAt(addr, timeout string) {
	e.t.Helper()
	transport, err := rmamail.ParseSMTPURL("smtp://" + addr + "?from=rma@example.com&tls=none&timeout=" + timeout)
	if err != nil {
		e.t.Fatal(err)
	}
	*e.app.Mailer = *rmamail.NewMailer(e.st, transport, e.clock.Now)
}

// jobOf returns the id of the claim's job of a kind.
func (e *env) jobOf(rma string, kind claim.JobKind) string {
	e.t.Helper()
	var id string
	err := e.st.DB().Raw(`SELECT j.id FROM jobs j JOIN claims c ON c.id = j.claim_id
		WHERE c.rma_number = ? AND j.kind = ? ORDER BY j.id LIMIT 1`, rma, string(kind)).Scan(&id).Error
	if err != nil || id == "" {
		e.t.Fatalf("no %s job for %s: %v", kind, rma, err)
	}
	return id
}

func TestRealSMTPExchange(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		srv := startSMTP(t)
		e.useSMTP(srv)
		rma := e.file()
		e.approve(rma)
		e.sweep()
		got := srv.messages()
		if len(got) != 2 {
			t.Fatalf("%d messages", len(got))
		}
		dec := new(mime.WordDecoder)
		for i, want := range []string{"Мы получили вашу заявку " + rma, "Ваша заявка " + rma + " одобрена: отправьте устройство"} {
			m := got[i]
			subject, err := dec.DecodeHeader(m.msg.Header.Get("Subject"))
			if err != nil || subject != want {
				t.Errorf("subject %q (%v), want %q", subject, err, want)
			}
			if len(m.to) != 1 || m.to[0] != "buyer@example.com" || m.from != "rma@example.com" {
				t.Errorf("envelope %s -> %v", m.from, m.to)
			}
			if m.msg.Header.Get("Content-Language") != "ru" {
				t.Errorf("language %q", m.msg.Header.Get("Content-Language"))
			}
			if !strings.Contains(m.body, "text/plain") || !strings.Contains(m.body, "text/html") {
				t.Error("not both text and HTML")
			}
		}
		if !strings.Contains(got[1].body, "application/pdf") || !strings.Contains(got[1].body, rma+"-a4.pdf") {
			t.Error("the approval does not carry the slip")
		}
		recs, _ := e.app.Mailer.List(context.Background(), rmamail.Filter{RMANumber: rma, Limit: 10})
		for _, r := range recs {
			if r.Status != rmamail.Sent || r.SentAt == nil {
				t.Errorf("kept as %s", r.Status)
			}
		}
	})
}

// TestKilledAfterSendingSendsOnce: the worker dies after the e-mail went out
// but before the job was marked done; the job runs again and the buyer gets
// one e-mail.
func TestKilledAfterSendingSendsOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		srv := startSMTP(t)
		e.useSMTP(srv)
		rma := e.file()
		id := e.jobOf(rma, claim.JobNotify)
		ctx := context.Background()
		if err := e.app.Runner.Run(ctx, id); err != nil {
			t.Fatal(err)
		}
		if err := e.st.DB().Exec("UPDATE jobs SET done_at = NULL WHERE id = ?", id).Error; err != nil {
			t.Fatal(err)
		}
		if err := e.app.Runner.Run(ctx, id); err != nil {
			t.Fatal(err)
		}
		e.sweep()
		if n := len(srv.messages()); n != 1 {
			t.Errorf("%d e-mails", n)
		}
	})
}

// TestCancelledMidSendRetriesToOneEmail: the handler's context is cancelled
// while the SMTP server is taking the message; the retry delivers it once.
func TestCancelledMidSendRetriesToOneEmail(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		srv := startSMTP(t)
		e.useSMTP(srv)
		rma := e.file()
		id := e.jobOf(rma, claim.JobNotify)
		srv.mu.Lock()
		srv.hold = make(chan struct{})
		srv.mu.Unlock()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- e.app.Runner.Run(ctx, id) }()
		select { // the handler is now inside DATA
		case <-srv.inData:
		case err := <-done:
			t.Fatalf("the handler ended before sending: %v", err)
		case <-time.After(30 * time.Second):
			t.Fatal("the handler never reached DATA")
		}
		cancel()
		if err := <-done; err == nil {
			t.Fatal("a cancelled handler reported success")
		}
		srv.mu.Lock()
		close(srv.hold)
		srv.hold = nil
		srv.mu.Unlock()
		if _, finished, _ := e.st.JobState(context.Background(), id); finished {
			t.Fatal("the cancelled job is marked done")
		}
		if err := e.app.Runner.Run(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.messages()); n != 1 {
			t.Errorf("%d e-mails", n)
		}
	})
}

// waitFor polls cond for up to d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < d {
		if cond() {
			return time.Since(start)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
	return 0
}

// TestQueueRunsJobsEndToEnd: a transition's e-mail goes through the outbox,
// the relay, asynq and the handler.
func TestQueueRunsJobsEndToEnd(t *testing.T) {
	eachRedis(t, func(t *testing.T, e *env) {
		e.clock.Set(time.Now()) // asynq schedules by real time
		w := e.app.NewWorker()
		if err := w.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		defer w.Shutdown()
		rma := e.file()
		e.approve(rma)
		took := waitFor(t, 15*time.Second, "the e-mails", func() bool { return len(e.mails(rma)) == 2 })
		t.Logf("transition to e-mail kept: %s", took)
		expect(t, e, rma, "submit buyer@example.com", "approve buyer@example.com")
	})
}

// TestFlushedRedisLosesNothing: the queue is wiped with jobs pending; the
// outbox and the sweep bring every notification and deadline back.
func TestFlushedRedisLosesNothing(t *testing.T) {
	eachRedis(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		a, b := e.file(), e.file()
		e.approve(b)
		e.receive(b)
		if n, err := e.app.Relay.Once(ctx); err != nil || n == 0 {
			t.Fatalf("relayed %d: %v", n, err)
		}
		info, err := e.app.Inspector.GetQueueInfo(tasks.Queue)
		if err != nil || info.Size == 0 {
			t.Fatalf("queue before the flush: %+v %v", info, err)
		}
		if e.mini != nil {
			e.mini.FlushAll()
		} else if err := e.rdb.FlushDB(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		// Every deadline passes while nothing runs; then the worker starts.
		e.clock.Set(e.clock.Now().AddDate(0, 0, 40))
		w := e.app.NewWorker()
		if err := w.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer w.Shutdown()
		waitFor(t, 15*time.Second, "every job", func() bool {
			n, _ := e.st.PendingCount(ctx)
			return n == 0
		})
		expect(t, e, a, "submit buyer@example.com", "review_reminder rep@example.com",
			"review_escalate admin@example.com", "review_escalate rep@example.com", "apology_answer buyer@example.com")
		got := e.mails(b)
		for _, want := range []string{"submit buyer@example.com", "approve buyer@example.com", "receive buyer@example.com",
			"turnaround_warn tech@example.com", "turnaround_escalate tech@example.com", "turnaround_escalate admin@example.com"} {
			if !contains(got, want) {
				t.Errorf("%q missing from %q", want, got)
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestMalformedTasksAreArchivedNotRetried.
func TestMalformedTasksAreArchivedNotRetried(t *testing.T) {
	eachRedis(t, func(t *testing.T, e *env) {
		w := e.app.NewWorker()
		if err := w.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		defer w.Shutdown()
		for _, payload := range []string{"not json", `{"job_id":"01ZZZZZZZZZZZZZZZZZZZZZZZZ"}`} {
			if _, err := e.app.Queue.Enqueue(asynq.NewTask(tasks.TypeJob, []byte(payload)), asynq.MaxRetry(10)); err != nil {
				t.Fatal(err)
			}
		}
		var archived []*asynq.TaskInfo
		waitFor(t, 15*time.Second, "two archived tasks", func() bool {
			archived, _ = e.app.Inspector.ListArchivedTasks(tasks.Queue)
			return len(archived) == 2
		})
		for _, ti := range archived {
			if ti.Retried != 0 {
				t.Errorf("task %q was retried %d times", ti.Payload, ti.Retried)
			}
		}
	})
}
