package mail

import "testing"

func TestParseSMTPURL(t *testing.T) {
	good := map[string]string{
		"smtp://u:p@mail.example.com:2525?from=rma@example.com":        "mail.example.com",
		"smtp://mail.example.com?from=rma@example.com&tls=tls":         "mail.example.com",
		"smtp://127.0.0.1:25?from=rma@example.com&tls=none&timeout=3s": "127.0.0.1",
		"smtp://relay.local:587?from=rma@example.com&tls=starttls":     "relay.local",
	}
	for raw, host := range good {
		s, err := ParseSMTPURL(raw)
		if err != nil || s.host != host || s.from != "rma@example.com" {
			t.Errorf("%s: %+v %v", raw, s, err)
		}
	}
	for _, raw := range []string{"http://mail.example.com?from=a@b.c", "smtp://mail.example.com", "smtp://?from=a@b.c",
		"smtp://h?from=a@b.c&tls=maybe", "smtp://h:port?from=a@b.c", "smtp://h?from=a@b.c&timeout=soon"} {
		if _, err := ParseSMTPURL(raw); err == nil {
			t.Errorf("%s accepted", raw)
		}
	}
}
