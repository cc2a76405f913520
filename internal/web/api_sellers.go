package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"rma/internal/seller"
)

type sellerRequest struct {
	Name          string   `json:"name"`
	Email         string   `json:"email"`
	Language      string   `json:"language"`
	ReturnAddress []string `json:"return_address"`
}

type sellerJSON struct {
	Code          string   `json:"code"`
	Name          string   `json:"name"`
	Email         string   `json:"email"`
	Language      string   `json:"language"`
	ReturnAddress []string `json:"return_address"`
}

// putSeller creates or updates a marketplace seller.
func (s *Server) putSeller(c *gin.Context) {
	var req sellerRequest
	if !s.bind(c, &req) {
		return
	}
	sl, _, err := s.Sellers.Put(ctx(c), seller.Seller{Code: c.Param("code"), Name: req.Name, Email: req.Email,
		Language: req.Language, ReturnAddress: req.ReturnAddress})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.Logger.Info("seller saved", "by", user(c).ID, "seller", sl.Code)
	c.JSON(http.StatusOK, sellerJSON{Code: sl.Code, Name: sl.Name, Email: sl.Email, Language: sl.Language,
		ReturnAddress: nonNil(sl.ReturnAddress)})
}
