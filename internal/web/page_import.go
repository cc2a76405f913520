package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/order"
)

// importColumns are the CSV columns of an order import, in order.
var importColumns = []string{"order_number", "buyer_email", "buyer_name", "shipping_address", "completed_at",
	"country", "product_name", "category", "imei", "coverages"}

type refusedLine struct {
	Line    int
	Problem string
}

type importData struct {
	Imported int
	Refused  []refusedLine
}

func (s *Server) showImport(c *gin.Context) {
	p := s.newPage(c, "nav.orders")
	p.Data = (*importData)(nil)
	s.render(c, http.StatusOK, "orders_import", p)
}

// importOrders reads a CSV of orders, checks every line and imports all of
// them in one transaction, or none with a report of each refused line.
func (s *Server) importOrders(c *gin.Context) {
	p := s.newPage(c, "nav.orders")
	t := func(key string) string { return s.Catalog.T(p.Lang, key, nil) }
	d := &importData{}
	p.Data = d
	file, err := c.FormFile("file")
	if err != nil {
		d.Refused = []refusedLine{{0, t("import.no_file")}}
		s.render(c, http.StatusUnprocessableEntity, "orders_import", p)
		return
	}
	f, err := file.Open()
	if err != nil {
		s.pageFail(c, err)
		return
	}
	defer f.Close()
	orders, refused := parseOrders(io.LimitReader(f, 10<<20), func(err error) string {
		if fe, ok := fault.As(err); ok {
			var parts []string
			for field, reason := range fe.Fields {
				parts = append(parts, field+": "+t(reason))
			}
			if len(parts) == 0 {
				parts = append(parts, t(fe.Reason))
			}
			return strings.Join(parts, "; ")
		}
		return t("import.unreadable") + " (" + err.Error() + ")"
	})
	if len(refused) == 0 && len(orders) == 0 {
		refused = []refusedLine{{0, t("import.empty")}}
	}
	if len(refused) > 0 {
		d.Refused = refused
		s.render(c, http.StatusUnprocessableEntity, "orders_import", p)
		return
	}
	if err := s.Orders.Import(ctx(c), orders); err != nil {
		s.pageFail(c, err)
		return
	}
	s.Logger.Info("orders imported", "by", user(c).ID, "count", len(orders))
	d.Imported = len(orders)
	s.render(c, http.StatusOK, "orders_import", p)
}

// parseOrders validates every line; describe turns a line's error into text.
func parseOrders(r io.Reader, describe func(error) string) ([]order.Order, []refusedLine) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, []refusedLine{{1, describe(err)}}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.ToLower(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, name := range importColumns {
		if _, ok := col[name]; !ok {
			return nil, []refusedLine{{1, describe(fmt.Errorf("missing column %q", name))}}
		}
	}
	var orders []order.Order
	var refused []refusedLine
	seen := map[string]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			refused = append(refused, refusedLine{line, describe(err)})
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) { // optional columns may be absent
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		o := order.Order{Number: get("order_number"), BuyerEmail: get("buyer_email"), BuyerName: get("buyer_name"),
			ShippingAddress: strings.Split(get("shipping_address"), "|"), Country: get("country"),
			ProductName: get("product_name"), Category: get("category"), IMEI: get("imei"),
			SerialNumber: get("serial_number"), SellerCode: get("seller")}
		in := orderExtras{CompletedAt: get("completed_at"), PromisedDeliveryAt: get("promised_delivery_at"),
			DeliveredAt: get("delivered_at"), Amount: get("price"), Currency: get("currency")}
		if err := in.apply(&o); err != nil {
			refused = append(refused, refusedLine{line, describe(err)})
			continue
		}
		for _, k := range strings.FieldsFunc(get("coverages"), func(r rune) bool { return r == ' ' || r == ';' }) {
			o.Coverages = append(o.Coverages, coverage.Kind(k))
		}
		o, err = order.Validate(o)
		if err != nil {
			refused = append(refused, refusedLine{line, describe(err)})
			continue
		}
		if first, dup := seen[o.Number]; dup {
			refused = append(refused, refusedLine{line, describe(fmt.Errorf("%s repeats line %d", o.Number, first))})
			continue
		}
		seen[o.Number] = line
		orders = append(orders, o)
	}
	return orders, refused
}
