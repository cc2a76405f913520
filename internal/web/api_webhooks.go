package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/webhook"
)

type webhookRequest struct {
	URL    string   `json:"url"`
	Secret string   `json:"secret"`
	Events []string `json:"events"`
}

// putWebhook registers or updates a webhook endpoint; the secret is never
// shown again.
func (s *Server) putWebhook(c *gin.Context) {
	var req webhookRequest
	if !s.bind(c, &req) {
		return
	}
	e, err := s.Webhooks.Put(ctx(c), webhook.Endpoint{Name: c.Param("name"), URL: req.URL, Secret: req.Secret,
		Events: req.Events})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.Logger.Info("webhook saved", "by", user(c).ID, "webhook", e.Name)
	c.JSON(http.StatusOK, gin.H{"name": e.Name, "url": e.URL, "events": e.Events})
}

type deliveryJSON struct {
	ID            string     `json:"id"`
	Endpoint      string     `json:"endpoint"`
	EventID       string     `json:"event_id"`
	Type          string     `json:"type"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastStatus    int        `json:"last_status"`
	LastError     string     `json:"last_error,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	DeliveredAt   *time.Time `json:"delivered_at"`
}

func renderDelivery(d webhook.Delivery) deliveryJSON {
	return deliveryJSON{ID: d.ID, Endpoint: d.Endpoint, EventID: d.EventID, Type: d.Type, Status: d.Status,
		Attempts: d.Attempts, NextAttemptAt: d.NextAttemptAt.UTC(), LastStatus: d.LastStatus, LastError: d.LastError,
		CreatedAt: d.CreatedAt.UTC(), DeliveredAt: d.DeliveredAt}
}

// listWebhookDeliveries lists deliveries with their attempts, newest
// first; ?status=dead for the dead letters.
func (s *Server) listWebhookDeliveries(c *gin.Context) {
	limit, _, err := listParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ds, err := s.Webhooks.List(ctx(c), c.Query("status"), limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]deliveryJSON, len(ds))
	for i, d := range ds {
		items[i] = renderDelivery(d)
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": ""})
}

// replayWebhook sends a delivery again (same event id) at the next sweep.
func (s *Server) replayWebhook(c *gin.Context) {
	d, err := s.Webhooks.Replay(ctx(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.Logger.Info("webhook replayed", "by", user(c).ID, "delivery", d.ID)
	c.JSON(http.StatusOK, renderDelivery(d))
}
