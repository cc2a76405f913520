package web

import (
	"math"
	"slices"

	"github.com/gin-gonic/gin"

	"rma/internal/claim"
)

// tabStatuses are the statuses of the queue's two tabs: claims waiting on
// us (nobody took them yet, or in review) and claims waiting on the
// buyer's answer.
var tabStatuses = map[string][]claim.Status{
	"us":    slices.Clone(claim.ReviewStatuses),
	"buyer": {claim.InfoRequested},
}

func queueTab(s string) string {
	if _, ok := tabStatuses[s]; ok {
		return s
	}
	return "us"
}

// queueItems adds to each claim its deadline badge, days left, age and the
// workbench's facts (country, files, repeat device), read in one go.
func (s *Server) queueItems(c *gin.Context, claims []claim.Claim) ([]queueItem, error) {
	facts, err := s.Desk.QueueFacts(ctx(c), claims)
	if err != nil {
		return nil, err
	}
	now := s.Claims.Now()
	items := make([]queueItem, 0, len(claims))
	for _, cl := range claims {
		item := queueItem{Claim: cl, SLA: "on_time", Facts: facts[cl.ID], Age: int(now.Sub(cl.CreatedAt).Hours() / 24)}
		if cl.ReviewDueAt != nil && cl.Status.AwaitingReview() {
			item.SLA = sla(*cl.ReviewDueAt, now)
			item.DaysLeft = int(math.Ceil(cl.ReviewDueAt.Sub(now).Hours() / 24))
			if item.DaysLeft < 0 {
				item.DaysLate, item.DaysLeft = -item.DaysLeft, 0
			}
		}
		items = append(items, item)
	}
	return items, nil
}
