# Builds the werkstatt binary into a minimal image; docker-compose.yml runs it.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /werkstatt ./cmd/werkstatt

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /werkstatt /werkstatt
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/werkstatt"]
