package web

import (
	"time"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/money"
	"rma/internal/order"
	"rma/internal/promise"
)

type centerJSON struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Country  string   `json:"country,omitempty"`
	TimeZone string   `json:"time_zone,omitempty"`
	Address  []string `json:"address"`
	Serves   []string `json:"serves,omitempty"`
}

func renderCenter(c center.Center) centerJSON {
	return centerJSON{Code: c.Code, Name: c.Name, Country: c.Country, TimeZone: c.TimeZone,
		Address: nonNil(c.Address), Serves: c.Serves}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

type shipmentJSON struct {
	Carrier        string     `json:"carrier"`
	TrackingNumber string     `json:"tracking_number"`
	ShippedAt      *time.Time `json:"shipped_at,omitempty"`
}

type stepJSON struct {
	At        time.Time `json:"at"`
	Status    string    `json:"status"`
	Action    string    `json:"action"`
	Note      string    `json:"note,omitempty"`
	ActorRole string    `json:"actor_role"`
	// ActorName is shown to staff only; buyers see roles.
	ActorName string `json:"actor_name,omitempty"`
}

type pauseJSON struct {
	Reason string     `json:"reason"`
	From   time.Time  `json:"from"`
	To     *time.Time `json:"to"`
}

type promiseJSON struct {
	Kind      string      `json:"kind"`
	MadeAt    time.Time   `json:"made_at"`
	DueAt     time.Time   `json:"due_at"`
	State     string      `json:"state"`
	SettledAt *time.Time  `json:"settled_at"`
	BrokenAt  *time.Time  `json:"broken_at,omitempty"`
	Overdue   bool        `json:"overdue"`
	Pauses    []pauseJSON `json:"pauses"`
}

type claimJSON struct {
	RMANumber       string        `json:"rma_number"`
	Status          string        `json:"status"`
	Coverage        string        `json:"coverage"`
	OrderNumber     string        `json:"order_number"`
	IMEI            string        `json:"imei"`
	SerialNumber    string        `json:"serial_number,omitempty"`
	ProductName     string        `json:"product_name"`
	Description     string        `json:"description"`
	IncidentDate    *time.Time    `json:"incident_date,omitempty"`
	Center          *centerJSON   `json:"center,omitempty"`
	CreatedAt       time.Time     `json:"created_at"`
	UpdatedAt       time.Time     `json:"updated_at"`
	ReviewDueAt     *time.Time    `json:"review_due_at"`
	ShipBy          *time.Time    `json:"ship_by"`
	ReceivedAt      *time.Time    `json:"received_at"`
	ReturnDueAt     *time.Time    `json:"return_due_at"`
	Question        string        `json:"question,omitempty"`
	RejectReason    string        `json:"reject_reason,omitempty"`
	Decision        string        `json:"decision,omitempty"`
	Findings        string        `json:"findings,omitempty"`
	ReplacementIMEI string        `json:"replacement_imei,omitempty"`
	UnrepairedCode  string        `json:"unrepaired_reason,omitempty"`
	InboundShipment *shipmentJSON `json:"inbound_shipment,omitempty"`
	ReturnShipment  *shipmentJSON `json:"return_shipment"`
	DeliveredAt     *time.Time    `json:"delivered_at,omitempty"`
	Overdue         []string      `json:"overdue"`
	Timeline        []stepJSON    `json:"timeline,omitempty"`
	Promises        []promiseJSON `json:"promises"`
	// DeviceCheck and DeviceConflict are for staff: how the claimed
	// identifier is known to be the device's, and whether another open
	// claim names it.
	// Hold says why the return promise stands still and what to do.
	Hold           *holdJSON `json:"hold,omitempty"`
	DeviceCheck    string    `json:"device_check,omitempty"`
	DeviceConflict *bool     `json:"device_conflict,omitempty"`
}

func renderClaim(c claim.Claim, now time.Time) claimJSON {
	j := claimJSON{RMANumber: c.RMANumber, Status: string(c.Status), Coverage: string(c.Coverage),
		OrderNumber: c.OrderNumber, IMEI: c.IMEI, SerialNumber: c.SerialNumber, ProductName: c.ProductName,
		Description: c.Description, IncidentDate: c.IncidentDate,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, ReviewDueAt: c.ReviewDueAt, ShipBy: c.ShipBy,
		ReceivedAt: c.ReceivedAt, ReturnDueAt: c.ReturnDueAt, Question: c.Question, RejectReason: c.RejectReason,
		Decision: c.Decision, Findings: c.Findings, ReplacementIMEI: c.ReplacementIMEI,
		UnrepairedCode: c.UnrepairedCode, DeliveredAt: c.DeliveredAt, Overdue: []string{}, Promises: []promiseJSON{}}
	for _, p := range c.Promises {
		j.Promises = append(j.Promises, renderPromise(p, now))
	}
	if c.InboundCarrier != "" {
		j.InboundShipment = &shipmentJSON{Carrier: c.InboundCarrier, TrackingNumber: c.InboundTracking}
	}
	if c.ReturnCarrier != "" {
		j.ReturnShipment = &shipmentJSON{Carrier: c.ReturnCarrier, TrackingNumber: c.ReturnTracking, ShippedAt: c.ShippedAt}
	}
	for _, clock := range c.Overdue(now) {
		j.Overdue = append(j.Overdue, string(clock))
	}
	return j
}

// withActorNames adds to a claim's timeline who took each step, for staff.
func withActorNames(j claimJSON, v claim.View) claimJSON {
	j.DeviceCheck, j.DeviceConflict = string(v.Claim.DeviceCheck), &v.Claim.DeviceConflict
	for i := range j.Timeline {
		j.Timeline[i].ActorName = v.Events[i].ActorName
	}
	return j
}

func timeline(evs []claim.Event) []stepJSON {
	out := make([]stepJSON, len(evs))
	for i, e := range evs {
		out[i] = stepJSON{At: e.At, Status: string(e.To), Action: string(e.Action), Note: e.Note,
			ActorRole: string(e.ActorRole)}
	}
	return out
}

func renderView(v claim.View, now time.Time) claimJSON {
	j := renderClaim(v.Claim, now)
	ctr := renderCenter(v.Center)
	ctr.Country, ctr.TimeZone, ctr.Serves = "", "", nil
	j.Center = &ctr
	j.Timeline = timeline(v.Events)
	return j
}

type userJSON struct {
	ID         string `json:"id"`
	Email      string `json:"email"`
	Name       string `json:"name"`
	Role       string `json:"role"`
	Language   string `json:"language"`
	CenterCode string `json:"center_code,omitempty"`
	SellerCode string `json:"seller_code,omitempty"`
	Status     string `json:"status"`
}

func renderUser(u account.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Language: u.Language,
		CenterCode: u.CenterCode, SellerCode: u.SellerCode, Status: string(u.Status)}
}

type orderJSON struct {
	Number          string     `json:"order_number"`
	BuyerEmail      string     `json:"buyer_email"`
	BuyerName       string     `json:"buyer_name"`
	ShippingAddress []string   `json:"shipping_address"`
	CompletedAt     *time.Time `json:"completed_at"`
	Country         string     `json:"country"`
	ProductName     string     `json:"product_name"`
	Category        string     `json:"category"`
	IMEI            string     `json:"imei,omitempty"`
	SerialNumber    string     `json:"serial_number,omitempty"`
	Coverages       []string   `json:"coverages"`
	Seller          string     `json:"seller,omitempty"`
	Price           *moneyJSON `json:"price,omitempty"`
	PromisedAt      *time.Time `json:"promised_delivery_at"`
	DeliveredAt     *time.Time `json:"delivered_at"`
}

// moneyJSON is an exact amount: a decimal string and its currency.
type moneyJSON struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

func renderMoney(m money.Money) *moneyJSON {
	if m.IsZero() {
		return nil
	}
	return &moneyJSON{Amount: m.Amount(), Currency: m.Currency}
}

func renderOrder(o order.Order) orderJSON {
	j := orderJSON{Number: o.Number, BuyerEmail: o.BuyerEmail, BuyerName: o.BuyerName,
		ShippingAddress: nonNil(o.ShippingAddress), CompletedAt: o.CompletedAt, Country: o.Country,
		ProductName: o.ProductName, Category: o.Category, IMEI: o.IMEI, SerialNumber: o.SerialNumber,
		Coverages: []string{}, Seller: o.SellerCode, Price: renderMoney(o.Price),
		PromisedAt: o.PromisedDeliveryAt, DeliveredAt: o.DeliveredAt}
	for _, k := range o.Coverages {
		j.Coverages = append(j.Coverages, string(k))
	}
	return j
}

func renderPromise(p promise.Promise, now time.Time) promiseJSON {
	pj := promiseJSON{Kind: string(p.Kind), MadeAt: p.MadeAt, DueAt: p.DueAt, State: string(p.State),
		SettledAt: p.SettledAt, BrokenAt: p.BrokenAt, Overdue: p.Overdue(now), Pauses: []pauseJSON{}}
	for _, ps := range p.Pauses {
		pj.Pauses = append(pj.Pauses, pauseJSON{Reason: ps.Reason, From: ps.From, To: ps.To})
	}
	return pj
}
