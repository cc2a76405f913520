package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
)

type registerRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
	Language string `json:"language"`
}

// register starts a buyer's sign-up: a well-formed request is answered 202
// whether or not the address has orders or an account (the e-mail sent
// says which); the account exists once the e-mailed link is followed.
func (s *Server) register(c *gin.Context) {
	var req registerRequest
	if !s.bind(c, &req) {
		return
	}
	err := s.Links.SignUp(ctx(c), account.NewUser{Email: req.Email, Password: req.Password, Name: req.Name,
		Language: req.Language})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"status": "verification_sent"})
}

type tokenRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// verifyEmail follows a sign-up link: 201 with the new buyer account.
func (s *Server) verifyEmail(c *gin.Context) {
	var req tokenRequest
	if !s.bind(c, &req) {
		return
	}
	u, err := s.Links.Verify(ctx(c), req.Token)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.Logger.Info("account created", "log", "audit", "user", u.ID, "role", string(u.Role), "by", "e-mail link")
	c.JSON(http.StatusCreated, renderUser(u))
}

type resetRequest struct {
	Email string `json:"email"`
}

// requestReset e-mails a reset link; the answer is the same whether or not
// an account has the address.
func (s *Server) requestReset(c *gin.Context) {
	var req resetRequest
	if !s.bind(c, &req) {
		return
	}
	if err := s.Links.RequestReset(ctx(c), req.Email); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"status": "reset_sent"})
}

// confirmReset sets the new password of a reset link; every session and
// token of the user is revoked.
func (s *Server) confirmReset(c *gin.Context) {
	var req tokenRequest
	if !s.bind(c, &req) {
		return
	}
	u, err := s.Links.Reset(ctx(c), req.Token, req.Password)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.Logger.Info("password reset", "log", "audit", "user", u.ID, "by", "e-mail link")
	c.JSON(http.StatusOK, gin.H{"status": "password_changed"})
}
