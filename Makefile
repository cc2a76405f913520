# The two commands a newcomer needs: `make run` and `make test`.
GO      ?= go
BIN     := bin/rma
PKGS    := ./...

.PHONY: run build test test-short bench bench-go bench-scale mutate screenshots vet fmt migrate clean

## run: start the whole service on embedded defaults (SQLite, in-process Redis) with demo data
run:
	RMA_DEMO=true $(GO) run ./cmd/rma serve

## build: compile the rma binary into bin/
build:
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/rma

## test: every test; also against MariaDB/MySQL and Redis when RMA_TEST_MYSQL_DSN / RMA_TEST_REDIS_ADDR are set
test:
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 30m $(PKGS)

## bench: each figure against its yardstick, alternating in one process: prints ours / yardstick
## (SQLite always; MariaDB + Redis when RMA_TEST_MYSQL_DSN / RMA_TEST_REDIS_ADDR are set; a few minutes)
bench:
	$(GO) run ./cmd/rmaperf ratios

## bench-go: the Go benchmarks of single parts (slip rendering, queue, e-mails)
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

## bench-scale: the reads' curve at 10k, 100k and 1M claims (long; SCALE_SIZES=10000,100000 for less; SCALE_MIX=open for open claims only)
SCALE_SIZES ?= 10000,100000,1000000
SCALE_MIX ?= realistic
bench-scale:
	$(GO) run ./cmd/rmaperf scale --sizes $(SCALE_SIZES) --mix $(SCALE_MIX)

## mutate: mutation testing (gremlins) of the domain, store, slip, sla and worker packages, one
## package at a time on SQLite; ends with "mutation score: NN%" (long: about an hour on 2 busy cores)
MUTATE_PKGS ?= ./internal/claim ./internal/store ./internal/slip ./internal/sla ./internal/worker
mutate:
	./.ci/mutate $(MUTATE_PKGS)

## screenshots: walk every page of every role in a browser (the accessibility and width checks) and
## save the views of each role's main pages in each language to screenshots/phone/ (390x844) and screenshots/desktop/ (1366x900)
screenshots:
	RMA_SCREENSHOTS=1 $(GO) test -count=1 -run 'TestBrowserPagesHold' ./internal/web/

## migrate: apply migrations to the configured database
migrate:
	$(GO) run ./cmd/rma migrate

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin data
