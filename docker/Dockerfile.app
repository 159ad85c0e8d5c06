# zinit in an application image (distroless, Alpine, or any other): copy
# the static binary out of the zinit image, add the script, and let zinit
# wait for the dependencies before it hands over to the app as PID 1.
#   docker build -f docker/Dockerfile.scratch -t zinit:static .
#   docker build -f docker/Dockerfile.app -t my-app .
# The same binary works in each base: it needs nothing from the image.
ARG BASE=gcr.io/distroless/static-debian12
FROM zinit:static AS zinit

FROM ${BASE}
COPY --from=zinit /zinit /usr/local/bin/zinit
COPY docker/init.zinit /etc/zinit/init.zinit
# zinit runs the script, then replaces nothing: it stays PID 1, forwards
# signals and reaps orphans while the app runs as its child.
ENTRYPOINT ["/usr/local/bin/zinit", "run", "/etc/zinit/init.zinit", "--"]
CMD ["/app/server"]
