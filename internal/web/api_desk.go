package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/desk"
)

type noteJSON struct {
	ID         string    `json:"id"`
	Body       string    `json:"body"`
	AuthorName string    `json:"author_name,omitempty"`
	AuthorRole string    `json:"author_role"`
	CreatedAt  time.Time `json:"created_at"`
}

func renderNote(n desk.Note) noteJSON {
	return noteJSON{ID: n.ID, Body: n.Body, AuthorName: n.AuthorName, AuthorRole: string(n.AuthorRole), CreatedAt: n.CreatedAt}
}

type replyJSON struct {
	ID        string    `json:"id"`
	Language  string    `json:"language"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

func renderReply(r desk.Reply) replyJSON {
	return replyJSON{ID: r.ID, Language: r.Language, Title: r.Title, Body: r.Body, CreatedAt: r.CreatedAt}
}

// listNotes: GET /claims/{rma}/notes, staff only.
func (s *Server) listNotes(c *gin.Context) {
	notes, err := s.Desk.Notes(ctx(c), actor(c), c.Param("rma"))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]noteJSON, len(notes))
	for i, n := range notes {
		out[i] = renderNote(n)
	}
	c.JSON(http.StatusOK, gin.H{"notes": out})
}

// addNote: POST /claims/{rma}/notes {"body"}.
func (s *Server) addNote(c *gin.Context) {
	var req struct {
		Body string `json:"body"`
	}
	if !s.bind(c, &req) {
		return
	}
	n, err := s.Desk.AddNote(ctx(c), actor(c), c.Param("rma"), req.Body)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, renderNote(n))
}

// listReplies: GET /replies?language=xx.
func (s *Server) listReplies(c *gin.Context) {
	list, err := s.Desk.Replies(ctx(c), actor(c), c.Query("language"))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]replyJSON, len(list))
	for i, r := range list {
		out[i] = renderReply(r)
	}
	c.JSON(http.StatusOK, gin.H{"replies": out})
}

// addReply: POST /replies {"language","title","body"}.
func (s *Server) addReply(c *gin.Context) {
	var req struct {
		Language string `json:"language"`
		Title    string `json:"title"`
		Body     string `json:"body"`
	}
	if !s.bind(c, &req) {
		return
	}
	r, err := s.Desk.AddReply(ctx(c), actor(c), req.Language, req.Title, req.Body)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, renderReply(r))
}

// removeReply: DELETE /replies/{id}.
func (s *Server) removeReply(c *gin.Context) {
	if err := s.Desk.DeleteReply(ctx(c), actor(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// takeNextClaim: POST /queue/next, a rep takes the oldest claim nobody has
// taken; 404 queue_empty when there is none.
func (s *Server) takeNextClaim(c *gin.Context) {
	v, err := s.Desk.Next(ctx(c), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.claimBody(c, v))
}
