package web

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
)

// signUpData tells the sign-up and reset pages what to show.
type signUpData struct {
	Sent  bool   // the e-mail went out: show where to look
	Token string // the link's token, carried by the confirmation form
}

func (s *Server) signUpForm(c *gin.Context) {
	p := s.newPage(c, "signup.title")
	p.Data = signUpData{}
	s.render(c, http.StatusOK, "signup", p)
}

// signUpPage sends the confirmation e-mail; what the page says next does
// not depend on the address.
func (s *Server) signUpPage(c *gin.Context) {
	p := s.newPage(c, "signup.title")
	err := s.Links.SignUp(ctx(c), account.NewUser{Email: c.PostForm("email"), Password: c.PostForm("password"),
		Name: c.PostForm("name"), Language: c.PostForm("language")})
	if err != nil {
		p = s.withErrors(p, c, err)
		p.Data = signUpData{}
		s.render(c, statusOfErr(err), "signup", p)
		return
	}
	p.Data = signUpData{Sent: true}
	s.render(c, http.StatusOK, "signup", p)
}

// verifyForm shows the button that confirms a sign-up link: a GET changes
// nothing, so a mail scanner opening the link does not use it up.
func (s *Server) verifyForm(c *gin.Context) {
	p := s.newPage(c, "signup.title")
	p.Data = signUpData{Token: c.Query("token")}
	s.render(c, http.StatusOK, "signup_verify", p)
}

func (s *Server) verifyPage(c *gin.Context) {
	u, err := s.Links.Verify(ctx(c), c.PostForm("token"))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	s.Logger.Info("account created", "log", "audit", "user", u.ID, "role", string(u.Role), "by", "e-mail link")
	c.Redirect(http.StatusSeeOther, "/login?done=account_created")
}

func (s *Server) resetForm(c *gin.Context) {
	p := s.newPage(c, "reset.title")
	p.Data = signUpData{}
	s.render(c, http.StatusOK, "reset", p)
}

func (s *Server) resetPage(c *gin.Context) {
	p := s.newPage(c, "reset.title")
	if err := s.Links.RequestReset(ctx(c), c.PostForm("email")); err != nil {
		p = s.withErrors(p, c, err)
		p.Data = signUpData{}
		s.render(c, statusOfErr(err), "reset", p)
		return
	}
	p.Data = signUpData{Sent: true}
	s.render(c, http.StatusOK, "reset", p)
}

func (s *Server) resetConfirmForm(c *gin.Context) {
	p := s.newPage(c, "reset.title")
	p.Data = signUpData{Token: c.Query("token")}
	s.render(c, http.StatusOK, "reset_confirm", p)
}

func (s *Server) resetConfirmPage(c *gin.Context) {
	u, err := s.Links.Reset(ctx(c), c.PostForm("token"), c.PostForm("password"))
	if errors.Is(err, account.ErrLinkInvalid) || err != nil && statusOfErr(err) != http.StatusUnprocessableEntity {
		s.pageFail(c, err)
		return
	}
	if err != nil { // a weak password: the link stays usable
		p := s.withErrors(s.newPage(c, "reset.title"), c, err)
		p.Data = signUpData{Token: c.PostForm("token")}
		s.render(c, http.StatusUnprocessableEntity, "reset_confirm", p)
		return
	}
	s.Logger.Info("password reset", "log", "audit", "user", u.ID, "by", "e-mail link")
	c.Redirect(http.StatusSeeOther, "/login?done=password_changed")
}
