package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"rma/assets"
	"rma/internal/account"
)

// routes declares every route with the roles allowed on it. Ownership (a
// buyer's own claim, a technician's own center) is the claim service's.
func (s *Server) routes(r *gin.Engine) {
	r.GET("/healthz", s.health)
	r.GET("/livez", s.livez)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.serveMetrics)
	r.StaticFS("/assets", http.FS(assets.FS))
	r.GET("/favicon.ico", s.favicon)
	r.NoRoute(s.notFound)
	r.NoMethod(s.notFound)
	s.pageRoutes(r)

	api := r.Group("/api/v1")
	api.POST("/auth/login", s.limit(s.loginLimit, loginKey), s.login)
	api.POST("/auth/register", s.limit(s.registerLimit, ipKey), s.register)
	api.POST("/auth/verify", s.limit(s.registerLimit, ipKey), s.verifyEmail)
	api.POST("/auth/password-reset", s.limit(s.registerLimit, ipKey), s.requestReset)
	api.POST("/auth/password-reset/confirm", s.limit(s.registerLimit, ipKey), s.confirmReset)
	api.GET("/track/:rma", s.limit(s.trackLimit, ipKey), s.trackClaim)

	auth := api.Group("", s.authenticate)
	auth.POST("/auth/logout", s.logout)
	auth.GET("/auth/me", s.me)

	admin := auth.Group("", s.requireRole(account.Admin))
	admin.POST("/users", s.createUser)
	admin.POST("/users/:id/suspend", s.suspendUser)
	admin.POST("/users/:id/activate", s.activateUser)
	admin.PUT("/centers/:code", s.putCenter)
	admin.PUT("/orders/:number", s.putOrder)
	admin.PUT("/sellers/:code", s.putSeller)
	admin.GET("/admin/mail", s.listMail)
	admin.GET("/admin/queues", s.queueSummary)
	admin.GET("/admin/promises", s.promiseReport)
	admin.GET("/admin/audit", s.auditLog)
	admin.GET("/admin/jobs", s.listJobs)
	admin.POST("/admin/jobs/:id/retry", s.retryJob)

	staff := auth.Group("", s.requireRole(account.Rep, account.Technician, account.Admin))
	staff.GET("/centers", s.listCenters)
	staff.GET("/diagnosis-codes", s.listDiagnosisCodes)
	staff.GET("/devices/:id", s.showDevice)
	staff.GET("/centers/:code/stock", s.listStock)
	auth.PUT("/centers/:code/stock/:part", s.requireRole(account.Admin, account.Technician), s.putStock)

	auth.GET("/orders/:number/eligibility", s.orderEligibility)

	claims := auth.Group("/claims")
	claims.POST("", s.requireRole(account.Buyer), s.createClaim)
	claims.GET("", s.listClaims)
	claims.GET("/:rma", s.showClaim)
	claims.GET("/:rma/slip.pdf", s.downloadSlip)
	claims.GET("/:rma/return-label.pdf", s.requireRole(account.Technician, account.Admin), s.downloadReturnLabel)
	claims.POST("/:rma/attachments", s.requireRole(account.Buyer, account.Rep, account.Technician), s.attachFile)
	claims.GET("/:rma/attachments", s.listAttachments)
	claims.GET("/:rma/attachments/:id", s.downloadAttachment)
	claims.GET("/:rma/attachments/:id/thumbnail", s.downloadThumbnail)
	auth.POST("/intake/scans", s.requireRole(account.Technician), s.scanLabel)

	for _, a := range claimActions {
		claims.POST("/:rma/"+a.Path, s.requireRole(a.roles()...), s.apiClaimAction(a))
	}
	claims.POST("/:rma/intake-check", s.requireRole(account.Technician), s.recordIntakeCheck)
	staffNotes := s.requireRole(account.Rep, account.Technician, account.Admin)
	claims.GET("/:rma/notes", staffNotes, s.listNotes)
	claims.POST("/:rma/notes", staffNotes, s.addNote)
	replies := auth.Group("/replies", s.requireRole(account.Rep, account.Admin))
	replies.GET("", s.listReplies)
	replies.POST("", s.addReply)
	replies.DELETE("/:id", s.removeReply)
	auth.POST("/queue/next", s.requireRole(account.Rep), s.takeNextClaim)

	disputes := auth.Group("/disputes")
	disputes.POST("", s.requireRole(account.Buyer), s.openDispute)
	disputes.GET("", s.requireRole(account.Buyer, account.Seller, account.Rep, account.Admin), s.listDisputes)
	disputes.GET("/:number", s.requireRole(account.Buyer, account.Seller, account.Rep, account.Admin), s.showDispute)
	disputes.POST("/:number/messages", s.requireRole(account.Buyer, account.Seller, account.Rep), s.postDisputeMessage)
	for _, a := range disputeActions {
		disputes.POST("/:number/"+a.Path, s.requireRole(a.roles()...), s.apiDisputeAction(a))
	}
	s.disputeFileRoutes(disputes)
	auth.GET("/refunds", s.requireRole(account.Admin, account.Buyer), s.listRefunds)
	admin.PUT("/webhooks/:name", s.putWebhook)
	admin.GET("/admin/webhook-deliveries", s.listWebhookDeliveries)
	admin.POST("/admin/webhook-deliveries/:id/replay", s.replayWebhook)
}

// pageRoutes declares the HTML pages. Every form is checked for its CSRF
// token and origin; roles are checked per group, ownership by the services.
func (s *Server) pageRoutes(r *gin.Engine) {
	pages := r.Group("", s.pickPageLanguage, s.pageSession, s.pageLanguageFallback, s.checkCSRF, s.checkText)
	pages.GET("/", s.home)
	pages.GET("/login", s.showLogin)
	pages.POST("/login", s.loginPage)
	pages.POST("/logout", s.logoutPage)
	pages.GET("/signup", s.signUpForm)
	pages.POST("/signup", s.limit(s.registerLimit, ipKey), s.signUpPage)
	pages.GET("/signup/verify", s.verifyForm)
	pages.POST("/signup/verify", s.limit(s.registerLimit, ipKey), s.verifyPage)
	pages.GET("/reset", s.resetForm)
	pages.POST("/reset", s.limit(s.registerLimit, ipKey), s.resetPage)
	pages.GET("/reset/confirm", s.resetConfirmForm)
	pages.POST("/reset/confirm", s.limit(s.registerLimit, ipKey), s.resetConfirmPage)
	pages.GET("/track", s.trackForm)
	pages.POST("/track", s.limit(s.trackLimit, ipKey), s.trackPage)
	pages.GET("/s/:code", s.limit(s.trackLimit, ipKey), s.showLabelPage)

	buyer := pages.Group("", s.pageRole(account.Buyer))
	buyer.GET("/claims", s.myClaims)
	buyer.GET("/claims/new", s.newClaim)
	buyer.POST("/claims/new", s.fileClaimPage)

	anyone := pages.Group("", s.pageRole(account.Roles...))
	anyone.GET("/claims/:rma", s.showClaimPage)
	anyone.GET("/claims/:rma/live", s.liveClaim)
	anyone.GET("/claims/:rma/slip.pdf", s.downloadSlip)
	for _, a := range claimActions {
		pages.POST("/claims/:rma/"+a.Path, s.pageRole(a.roles()...), s.fillSavedReply(a.Path), s.pageClaimAction(a))
	}
	anyone.GET("/claims/:rma/return-label.pdf", s.pageRole(account.Technician, account.Admin), s.downloadReturnLabel)
	anyone.GET("/claims/:rma/attachments/:id", s.downloadAttachment)
	anyone.GET("/claims/:rma/attachments/:id/thumbnail", s.downloadThumbnail)
	anyone.POST("/bench/:rma/attachments", s.pageRole(account.Buyer, account.Rep, account.Technician), s.attachPage)
	anyone.POST("/bench/:rma/intake-check", s.pageRole(account.Technician), s.intakeCheckPage)

	reps := pages.Group("", s.pageRole(account.Rep, account.Admin))
	reps.GET("/queue", s.reviewQueue)
	reps.GET("/replies", s.showReplies)
	reps.POST("/replies", s.saveReply)
	reps.POST("/replies/:id/delete", s.deleteReply)
	pages.POST("/queue/next", s.pageRole(account.Rep), s.nextClaim)
	anyone.POST("/claims/:rma/notes", s.pageRole(account.Rep, account.Technician, account.Admin), s.addNotePage)
	s.disputePageRoutes(pages)

	tech := pages.Group("", s.pageRole(account.Technician))
	tech.GET("/scan", s.scanStation)
	tech.POST("/scan", s.scanDevice)
	tech.GET("/work", s.workQueue)

	admin := pages.Group("/admin", s.pageRole(account.Admin))
	admin.GET("", s.dashboard)
	admin.GET("/centers", s.showCenters)
	admin.POST("/centers", s.saveCenter)
	admin.GET("/users", s.showUsers)
	admin.POST("/users", s.createUserPage)
	admin.POST("/users/:id/:action", s.userStandingPage)
	admin.GET("/orders", s.showImport)
	admin.POST("/orders", s.importOrders)
	admin.GET("/mail", s.mailbox)
	admin.POST("/jobs/:id/retry", s.retryJobPage)
}
