package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"rma/internal/center"
	"rma/internal/coverage"
	"rma/internal/order"
)

type centerRequest struct {
	Name     string   `json:"name"`
	Country  string   `json:"country"`
	TimeZone string   `json:"time_zone"`
	Address  []string `json:"address"`
	Serves   []string `json:"serves"`
}

// putCenter creates or updates a service center.
func (s *Server) putCenter(c *gin.Context) {
	var req centerRequest
	if !s.bind(c, &req) {
		return
	}
	ctr, _, err := s.Centers.Put(ctx(c), center.Center{Code: c.Param("code"), Name: req.Name, Country: req.Country,
		TimeZone: req.TimeZone, Address: req.Address, Serves: req.Serves})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.Logger.Info("center saved", "by", user(c).ID, "center", ctr.Code)
	c.JSON(http.StatusOK, renderCenter(ctr))
}

// listCenters lists every service center.
func (s *Server) listCenters(c *gin.Context) {
	cs, err := s.Centers.List(ctx(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]centerJSON, len(cs))
	for i, ctr := range cs {
		items[i] = renderCenter(ctr)
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": ""})
}

type orderRequest struct {
	BuyerEmail      string   `json:"buyer_email"`
	BuyerName       string   `json:"buyer_name"`
	ShippingAddress []string `json:"shipping_address"`
	CompletedAt     string   `json:"completed_at"`
	Country         string   `json:"country"`
	ProductName     string   `json:"product_name"`
	Category        string   `json:"category"`
	IMEI            string   `json:"imei"`
	SerialNumber    string   `json:"serial_number"`
	Coverages       []string `json:"coverages"`
	Seller          string   `json:"seller"`
	Price           *struct {
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
	} `json:"price"`
	PromisedDeliveryAt string `json:"promised_delivery_at"`
	DeliveredAt        string `json:"delivered_at"`
}

// putOrder imports an order from the marketplace.
func (s *Server) putOrder(c *gin.Context) {
	var req orderRequest
	if !s.bind(c, &req) {
		return
	}
	o := order.Order{Number: c.Param("number"), BuyerEmail: req.BuyerEmail, BuyerName: req.BuyerName,
		ShippingAddress: req.ShippingAddress, Country: req.Country, SellerCode: req.Seller,
		ProductName: req.ProductName, Category: req.Category, IMEI: req.IMEI, SerialNumber: req.SerialNumber}
	in := orderExtras{CompletedAt: req.CompletedAt, PromisedDeliveryAt: req.PromisedDeliveryAt,
		DeliveredAt: req.DeliveredAt}
	if req.Price != nil {
		in.Amount, in.Currency = req.Price.Amount, req.Price.Currency
	}
	if err := in.apply(&o); err != nil {
		s.fail(c, err)
		return
	}
	for _, k := range req.Coverages {
		o.Coverages = append(o.Coverages, coverage.Kind(k))
	}
	o, _, err := s.Orders.Put(ctx(c), o)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, renderOrder(o))
}

type eligibilityJSON struct {
	Coverage string  `json:"coverage"`
	Eligible bool    `json:"eligible"`
	Reason   string  `json:"reason"`
	Message  string  `json:"message,omitempty"`
	EndsAt   *string `json:"ends_at"`
}

// orderEligibility tells which coverages of an order can be claimed, and why
// not.
func (s *Server) orderEligibility(c *gin.Context) {
	res, err := s.Claims.CheckOrder(ctx(c), actor(c), c.Param("number"))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]eligibilityJSON, len(res.Coverages))
	for i, e := range res.Coverages {
		out[i] = eligibilityJSON{Coverage: string(e.Coverage), Eligible: e.Eligible, Reason: e.Reason}
		if e.Reason != "" {
			out[i].Message = s.Catalog.T(language(c), e.Reason, nil)
		}
		if e.EndsAt != nil {
			t := e.EndsAt.UTC().Format("2006-01-02T15:04:05Z07:00")
			out[i].EndsAt = &t
		}
	}
	c.JSON(http.StatusOK, gin.H{"order_number": c.Param("number"), "product_name": res.ProductName,
		"device_field": res.DeviceField, "coverages": out})
}
