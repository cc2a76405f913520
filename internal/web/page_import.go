package web

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"rma/internal/fault"
	"rma/internal/order"
)

// importData is the import page: how many orders went in, or every
// refused line with every one of its problems.
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
// them in one transaction, or none with a report of every problem of every
// refused line.
func (s *Server) importOrders(c *gin.Context) {
	p := s.newPage(c, "nav.orders")
	d := &importData{}
	p.Data = d
	refuse := func(lines []refusedLine) {
		d.Refused = lines
		s.render(c, http.StatusUnprocessableEntity, "orders_import", p)
	}
	msg := problemText(s.Catalog, p.Lang)
	file, err := c.FormFile("file")
	if err != nil {
		refuse([]refusedLine{{Line: 0, Problems: []string{msg(problem{key: "import.no_file"})}}})
		return
	}
	f, err := file.Open()
	if err != nil {
		s.pageFail(c, err)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImportBytes+1))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	rows, refused := parseOrders(data)
	// What only the service can tell (a seller not registered) is found
	// for every line that is otherwise right.
	for _, r := range rows {
		if err := s.Orders.Check(ctx(c), r.order); err != nil {
			if _, ok := fault.As(err); !ok {
				s.pageFail(c, err)
				return
			}
			refused = append(refused, importLine{line: r.line, problems: problemsOf(err)})
		}
	}
	if len(refused) == 0 && len(rows) == 0 {
		refused = []importLine{{line: 0, problems: []problem{{key: "import.empty"}}}}
	}
	if len(refused) > 0 {
		refuse(describeLines(refused, msg))
		return
	}
	orders := make([]order.Order, len(rows))
	for i, r := range rows {
		orders[i] = r.order
	}
	if err := s.Orders.Import(ctx(c), orders); err != nil {
		s.pageFail(c, err)
		return
	}
	s.Logger.Info("orders imported", "by", user(c).ID, "count", len(orders))
	d.Imported = len(orders)
	s.render(c, http.StatusOK, "orders_import", p)
}
