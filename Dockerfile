# The eksdoctor CLI as a static binary on a distroless image, as a non-root user.
#
#   docker build --build-arg VERSION=$(git describe --always) -t eksdoctor .
#   docker run --rm -i eksdoctor analyze < aws-auth.yaml
#   docker run --rm -v "$PWD:/work" eksdoctor analyze aws-auth.yaml

FROM golang:1.26 AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOWORK=off
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN go build -trimpath -ldflags "-s -w -X github.com/eksdoctor/eksdoctor/core.Version=${VERSION}" -o /out/eksdoctor ./cmd/eksdoctor

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/eksdoctor /usr/local/bin/eksdoctor
USER nonroot:nonroot
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/eksdoctor"]
