# Builds the single rma binary; the same image runs `serve` and `worker`.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-X main.version=${VERSION}" -o /out/rma ./cmd/rma

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* && useradd --system --create-home --home-dir /var/lib/rma rma
COPY --from=build /out/rma /usr/local/bin/rma
USER rma
# RMA_DATA_DIR (./data) lands here when the embedded defaults are used.
WORKDIR /var/lib/rma
EXPOSE 8080
# /livez: the process answers. (`rma probe --ready` asks /readyz: the database answers.)
HEALTHCHECK --interval=15s --timeout=6s --start-period=20s --retries=3 CMD ["rma", "probe"]
ENTRYPOINT ["rma"]
CMD ["serve"]
