package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"rma/internal/desk"
	"rma/internal/i18n"
)

// replyPicker is a saved-reply menu above a text field of the rep's forms.
type replyPicker struct {
	Page    page
	Target  string
	Replies []desk.Reply
}

// ReplyPicker offers the claim's saved replies (in its buyer's language)
// for the field whose id is target.
func (p page) ReplyPicker(target string) replyPicker {
	d, _ := p.Data.(claimPageData)
	return replyPicker{Page: p, Target: target, Replies: d.Replies}
}

// savedReplyFields is the text field a saved reply fills in each form.
var savedReplyFields = map[string]string{"approve": "note", "reject": "note", "request-info": "question"}

// fillSavedReply puts the chosen saved reply into the form's empty text
// field: with a script the page does it on choosing, without one the
// server does it here. A text typed by the rep always wins.
func (s *Server) fillSavedReply(path string) gin.HandlerFunc {
	field, ok := savedReplyFields[path]
	return func(c *gin.Context) {
		id := c.PostForm("saved_reply")
		if !ok || id == "" || c.PostForm(field) != "" {
			c.Next()
			return
		}
		r, err := s.Desk.Reply(ctx(c), actor(c), id)
		if err != nil {
			s.pageFail(c, err)
			return
		}
		c.Request.PostForm.Set(field, r.Body)
		c.Request.Form.Set(field, r.Body)
		c.Next()
	}
}

// addNotePage writes an internal note from the claim page.
func (s *Server) addNotePage(c *gin.Context) {
	rma := c.Param("rma")
	if _, err := s.Desk.AddNote(ctx(c), actor(c), rma, c.PostForm("body")); err != nil {
		if st := statusOfErr(err); st == http.StatusUnprocessableEntity {
			s.claimPage(c, st, s.withErrors(s.newPage(c, "claim.title"), c, err), rma)
			return
		}
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/claims/"+url.PathEscape(rma)+"?done=note#notes")
}

type repliesData struct {
	Language  string
	Languages []string
	Replies   []desk.Reply
}

func (s *Server) repliesPage(c *gin.Context, status int, p page, lang string) {
	if !slices.Contains(i18n.Languages, lang) {
		lang = p.Lang
	}
	list, err := s.Desk.Replies(ctx(c), actor(c), lang)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	p.Data = repliesData{Language: lang, Languages: i18n.Languages, Replies: list}
	s.render(c, status, "replies", p)
}

// showReplies lists the saved replies of one language, with a form for a
// new one.
func (s *Server) showReplies(c *gin.Context) {
	s.repliesPage(c, http.StatusOK, s.newPage(c, "replies.page_title"), c.Query("language"))
}

// saveReply adds a saved reply.
func (s *Server) saveReply(c *gin.Context) {
	r, err := s.Desk.AddReply(ctx(c), actor(c), c.PostForm("language"), c.PostForm("title"), c.PostForm("body"))
	if err != nil {
		if st := statusOfErr(err); st == http.StatusUnprocessableEntity {
			s.repliesPage(c, st, s.withErrors(s.newPage(c, "replies.page_title"), c, err), c.PostForm("language"))
			return
		}
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/replies?language="+r.Language+"&done=reply_saved")
}

// deleteReply removes a saved reply.
func (s *Server) deleteReply(c *gin.Context) {
	r, err := s.Desk.Reply(ctx(c), actor(c), c.Param("id"))
	if err == nil {
		err = s.Desk.DeleteReply(ctx(c), actor(c), r.ID)
	}
	if err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/replies?language="+r.Language+"&done=reply_deleted")
}

// nextClaim takes the oldest claim nobody has taken and opens it.
func (s *Server) nextClaim(c *gin.Context) {
	v, err := s.Desk.Next(ctx(c), actor(c))
	if err != nil {
		if statusOfErr(err) == http.StatusNotFound {
			c.Redirect(http.StatusSeeOther, "/queue?done=queue_empty")
			return
		}
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/claims/"+v.Claim.RMANumber+"?done=next")
}
