package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// login exchanges an e-mail and password for a bearer token.
func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if !s.bind(c, &req) {
		return
	}
	sess, err := s.signIn(c, req.Email, req.Password)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": sess.Token, "expires_at": sess.ExpiresAt.UTC().Format(time.RFC3339),
		"user": renderUser(sess.User)})
}

// logout revokes the token the request came with.
func (s *Server) logout(c *gin.Context) {
	if err := s.Accounts.Logout(ctx(c), c.GetString(keyToken)); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// me returns the signed-in user.
func (s *Server) me(c *gin.Context) { c.JSON(http.StatusOK, renderUser(user(c))) }

type createUserRequest struct {
	Email      string `json:"email"`
	Name       string `json:"name"`
	Password   string `json:"password"`
	Role       string `json:"role"`
	Language   string `json:"language"`
	CenterCode string `json:"center_code"`
	SellerCode string `json:"seller_code"`
}

// createUser lets an admin create an account of any role.
func (s *Server) createUser(c *gin.Context) {
	var req createUserRequest
	if !s.bind(c, &req) {
		return
	}
	u, err := s.Accounts.Create(ctx(c), account.NewUser{Email: req.Email, Name: req.Name, Password: req.Password,
		Role: account.Role(req.Role), Language: req.Language, CenterCode: req.CenterCode,
		SellerCode: req.SellerCode})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.Logger.Info("user created", "by", user(c).ID, "user", u.ID, "role", u.Role)
	c.JSON(http.StatusCreated, renderUser(u))
}
