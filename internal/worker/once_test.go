package worker_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"rma/internal/account"
	"rma/internal/claim"
	rmamail "rma/internal/mail"
)

// slowGoodbye is a TCP proxy in front of an SMTP server that holds the
// client's QUIT for delay before passing it on.
func slowGoodbye(t *testing.T, upstream string, delay time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", upstream)
			if err != nil {
				_ = c.Close()
				continue
			}
			go func() { _, _ = io.Copy(c, u); _ = c.Close() }()
			go func() {
				defer u.Close()
				buf := make([]byte, 64<<10)
				for {
					n, err := c.Read(buf)
					if n > 0 {
						if bytes.HasPrefix(buf[:n], []byte("QUIT")) || bytes.Contains(buf[:n], []byte("\r\nQUIT\r\n")) {
							time.Sleep(delay)
						}
						if _, err := u.Write(buf[:n]); err != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// TestSlowGoodbyeSendsOnce: the server accepts the message, then takes
// longer than the send timeout to answer QUIT. The message counts as sent,
// and later runs send nothing more. (Before: the send was taken as failed
// and retried: 5 copies in 210 s, still growing.)
func TestSlowGoodbyeSendsOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		srv := startSMTP(t)
		e.useSMTPAt(slowGoodbye(t, srv.addr, 3*time.Second), "1s")
		rma := e.file()
		id := e.jobOf(rma, claim.JobNotify)
		ctx := context.Background()
		if err := e.app.Runner.Run(ctx, id); err != nil {
			t.Fatalf("a message the server accepted failed: %v", err)
		}
		if err := e.st.DB().Exec("UPDATE jobs SET done_at = NULL WHERE id = ?", id).Error; err != nil {
			t.Fatal(err)
		}
		if err := e.app.Runner.Run(ctx, id); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.messages()); n != 1 {
			t.Errorf("%d copies, want 1", n)
		}
		recs, _ := e.app.Mailer.List(ctx, rmamail.Filter{RMANumber: rma, Limit: 10})
		if len(recs) != 1 || recs[0].Status != rmamail.Sent {
			t.Errorf("kept %+v", recs)
		}
	})
}

// TestRacingWorkersSendOnce: ten runners take the same job at once, and
// ten mailers the same message at once, while the server is slow to accept
// it: one copy each. (Before: 31 e-mails for 20 notifications with two
// workers after a Redis loss.)
func TestRacingWorkersSendOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		srv := startSMTP(t)
		srv.slow = 300 * time.Millisecond
		e.useSMTP(srv)
		ctx := context.Background()
		rma := e.file()
		id := e.jobOf(rma, claim.JobNotify)
		var wg sync.WaitGroup
		for range 10 {
			wg.Add(1)
			go func() { defer wg.Done(); _ = e.app.Runner.Run(ctx, id) }()
		}
		wg.Wait()
		if n := len(srv.messages()); n != 1 {
			t.Errorf("job raced: %d copies, want 1", n)
		}

		m := rmamail.Message{DedupeKey: rmamail.Key("race", "buyer@example.com"), To: "buyer@example.com",
			Subject: "s", Language: "en", Kind: "race", Text: "t", HTML: "<p>t</p>"}
		errs := make([]error, 10)
		for i := range errs {
			wg.Add(1)
			go func() { defer wg.Done(); errs[i] = e.app.Mailer.Deliver(ctx, m) }()
		}
		wg.Wait()
		if n := len(srv.messages()); n != 2 {
			t.Errorf("mailers raced: %d copies, want 2 in all", n)
		}
		for _, err := range errs {
			if err != nil && !errors.Is(err, rmamail.ErrBusy) {
				t.Errorf("racing mailer: %v", err)
			}
		}
		if err := e.app.Mailer.Deliver(ctx, m); err != nil || len(srv.messages()) != 2 {
			t.Errorf("after the race: %v, %d copies", err, len(srv.messages()))
		}
	})
}

// TestKilledAfterAcceptanceSendsAtMostOnceMore: the worker dies after the
// server accepted the message and before it recorded so. While its lease
// holds nobody sends again; after the lease, one more copy goes out (the
// documented limit: SMTP cannot tell whether the first arrived), then
// never another.
func TestKilledAfterAcceptanceSendsAtMostOnceMore(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		srv := startSMTP(t)
		e.useSMTP(srv)
		ctx := context.Background()
		rma := e.file()
		id := e.jobOf(rma, claim.JobNotify)
		if err := e.app.Runner.Run(ctx, id); err != nil {
			t.Fatal(err)
		}
		// The state a kill -9 between the server's 250 and the record leaves.
		if err := e.st.DB().Exec("UPDATE mail SET status = 'pending', sent_at = NULL, lease_until = ? WHERE rma_number = ?",
			e.clock.Now().Add(rmamail.Lease).UTC(), rma).Error; err != nil {
			t.Fatal(err)
		}
		if err := e.st.DB().Exec("UPDATE jobs SET done_at = NULL WHERE id = ?", id).Error; err != nil {
			t.Fatal(err)
		}
		if err := e.app.Runner.Run(ctx, id); !errors.Is(err, rmamail.ErrBusy) {
			t.Errorf("while the lease holds: %v", err)
		}
		if n := len(srv.messages()); n != 1 {
			t.Errorf("%d copies while the lease holds", n)
		}
		e.clock.Set(e.clock.Now().Add(rmamail.Lease + time.Hour))
		e.sweep()
		e.sweep()
		if n := len(srv.messages()); n != 2 {
			t.Errorf("%d copies after the lease, want 2", n)
		}
	})
}

// TestLongAddressesGetTheirMail: a buyer and a rep with 254-character
// addresses get their e-mails, and so do the other reps. (Before, on
// MariaDB: every e-mail to an address over about 93 characters failed
// forever, and such a rep made every staff reminder fail.)
func TestLongAddressesGetTheirMail(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		long := func(tag string) string {
			local := tag + strings.Repeat("x", 64-len(tag))
			domain := strings.Repeat("d", 63) + "." + strings.Repeat("e", 63) + "." + strings.Repeat("f", 57) + ".com"
			return local + "@" + domain
		}
		buyer, rep := long("buyer"), long("rep")
		if len(buyer) != 254 || len(rep) != 254 {
			t.Fatalf("address lengths %d, %d", len(buyer), len(rep))
		}
		if _, err := e.app.Accounts.Create(context.Background(), account.NewUser{Email: rep, Role: account.Rep,
			Language: "en", Name: "Long", Password: "test-pass-123"}); err != nil {
			t.Fatal(err)
		}
		rma := e.fileAs(buyer)
		e.sweep()
		e.clock.Set(at(2026, 6, 10, 12, 0))
		e.sweep()
		expect(t, e, rma, "submit "+buyer, "review_reminder rep@example.com", "review_reminder "+rep,
			"review_escalate admin@example.com", "review_escalate rep@example.com", "review_escalate "+rep, "apology_answer "+buyer)
		if dead, _ := e.st.DeadJobs(context.Background(), "", 10); len(dead) != 0 {
			t.Errorf("dead jobs: %+v", dead)
		}
	})
}
