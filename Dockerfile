# Builds the werkstatt binary into a minimal image; docker-compose.yml runs it.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /werkstatt ./cmd/werkstatt && mkdir -p /empty/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /werkstatt /werkstatt
# The embedded store, the master key and the token hash, when no external NATS is configured.
COPY --from=build --chown=nonroot:nonroot /empty/data /data
USER nonroot
# Inside a container the default localhost:8080 would be unreachable from outside.
ENV WERKSTATT_ADDR=0.0.0.0:8080 \
    WERKSTATT_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
# Distroless has no shell, curl or wget: the binary probes its own /readyz.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["/werkstatt", "healthcheck"]
ENTRYPOINT ["/werkstatt"]
