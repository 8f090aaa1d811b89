//! The gRPC services: `pulumirpc.Analyzer` (a policy pack; guardrail serves it inside the Pulumi
//! CLI and calls it on CrossGuard packs), `pulumirpc.Engine` (the engine's `Log`, which a pack
//! calls back) and the part of `pulumirpc.LanguageRuntime` that runs a policy pack.
//!
//! Each service is a trait whose methods default to `UNIMPLEMENTED` (what the CLI expects of a
//! plugin that does not know a call), a server type that routes HTTP/2 requests to the trait
//! (add it to a [`tonic::transport::Server`]), and, where guardrail is the caller, a client.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tonic::body::Body;
use tonic::server::{Grpc, NamedService, ServerStreamingService, UnaryService};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};
use tonic_prost::ProstCodec;

use crate::proto::*;

/// A boxed future, as the service methods return them.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;
/// The result of one unary call.
pub type RpcResult<T> = Result<Response<T>, Status>;
/// A stream of messages a server-streaming call answers with.
pub type BoxStream<T> =
    Pin<Box<dyn tokio_stream::Stream<Item = Result<T, Status>> + Send + 'static>>;

fn unimplemented<T: Send + 'static>(method: &'static str) -> BoxFuture<RpcResult<T>> {
    Box::pin(async move {
        Err(Status::unimplemented(format!(
            "`{method}` is not implemented"
        )))
    })
}

/// One unary method of a server: the shared implementation and the function that calls it.
struct Unary<S, Req, Resp> {
    service: Arc<S>,
    call: fn(Arc<S>, Request<Req>) -> BoxFuture<RpcResult<Resp>>,
}

impl<S, Req, Resp> UnaryService<Req> for Unary<S, Req, Resp> {
    type Response = Resp;
    type Future = BoxFuture<RpcResult<Resp>>;

    fn call(&mut self, request: Request<Req>) -> Self::Future {
        (self.call)(Arc::clone(&self.service), request)
    }
}

/// The function behind a server-streaming method.
type StreamingFn<S, Req, Resp> = fn(Arc<S>, Request<Req>) -> BoxFuture<RpcResult<BoxStream<Resp>>>;

/// One server-streaming method of a server.
struct Streaming<S, Req, Resp> {
    service: Arc<S>,
    call: StreamingFn<S, Req, Resp>,
}

impl<S, Req, Resp: Send + 'static> ServerStreamingService<Req> for Streaming<S, Req, Resp> {
    type Response = Resp;
    type ResponseStream = BoxStream<Resp>;
    type Future = BoxFuture<RpcResult<BoxStream<Resp>>>;

    fn call(&mut self, request: Request<Req>) -> Self::Future {
        (self.call)(Arc::clone(&self.service), request)
    }
}

/// Serves one unary call of `request` with `call`.
fn serve_unary<S, Req, Resp>(
    service: Arc<S>,
    request: http::Request<Body>,
    call: fn(Arc<S>, Request<Req>) -> BoxFuture<RpcResult<Resp>>,
) -> BoxFuture<Result<http::Response<Body>, Infallible>>
where
    S: Send + Sync + 'static,
    Req: prost::Message + Default + Send + 'static,
    Resp: prost::Message + Send + 'static,
{
    Box::pin(async move {
        let mut grpc = Grpc::new(ProstCodec::<Resp, Req>::default());
        Ok(grpc.unary(Unary { service, call }, request).await)
    })
}

/// Serves one server-streaming call of `request` with `call`.
fn serve_streaming<S, Req, Resp>(
    service: Arc<S>,
    request: http::Request<Body>,
    call: StreamingFn<S, Req, Resp>,
) -> BoxFuture<Result<http::Response<Body>, Infallible>>
where
    S: Send + Sync + 'static,
    Req: prost::Message + Default + Send + 'static,
    Resp: prost::Message + Send + 'static,
{
    Box::pin(async move {
        let mut grpc = Grpc::new(ProstCodec::<Resp, Req>::default());
        Ok(grpc
            .server_streaming(Streaming { service, call }, request)
            .await)
    })
}

/// The answer to a method no service has: gRPC status 12, `UNIMPLEMENTED`.
fn unknown_method() -> BoxFuture<Result<http::Response<Body>, Infallible>> {
    Box::pin(async move { Ok(Status::unimplemented("unknown method").into_http()) })
}

/// Implements tower's `Service` for a server type by routing each path to a method.
macro_rules! route {
    ($server:ident, $trait:ident, $name:literal, { $($path:literal => $kind:ident $method:ident),* $(,)? }) => {
        impl<T: $trait> NamedService for $server<T> {
            const NAME: &'static str = $name;
        }

        impl<T: $trait> Clone for $server<T> {
            fn clone(&self) -> Self {
                $server { service: Arc::clone(&self.service) }
            }
        }

        impl<T: $trait> tower_service::Service<http::Request<Body>> for $server<T> {
            type Response = http::Response<Body>;
            type Error = Infallible;
            type Future = BoxFuture<Result<http::Response<Body>, Infallible>>;

            fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
                Poll::Ready(Ok(()))
            }

            fn call(&mut self, request: http::Request<Body>) -> Self::Future {
                let service = Arc::clone(&self.service);
                match request.uri().path() {
                    $($path => $kind(service, request, |s, r| s.$method(r)),)*
                    _ => unknown_method(),
                }
            }
        }

        impl<T: $trait> $server<T> {
            /// Serves `service`.
            pub fn new(service: T) -> Self {
                $server { service: Arc::new(service) }
            }

            /// Serves a shared `service`.
            pub fn from_arc(service: Arc<T>) -> Self {
                $server { service }
            }
        }
    };
}

/// `pulumirpc.Analyzer`: a policy pack. Every method defaults to `UNIMPLEMENTED`.
///
/// The methods take `Arc<Self>` so that the future they return owns what it needs.
pub trait Analyzer: Send + Sync + 'static {
    /// `Handshake`: the engine's address and the pack's directories.
    fn handshake(
        self: Arc<Self>,
        _request: Request<AnalyzerHandshakeRequest>,
    ) -> BoxFuture<RpcResult<AnalyzerHandshakeResponse>> {
        unimplemented("Handshake")
    }
    /// `ConfigureStack`: the stack, its config and tags.
    fn configure_stack(
        self: Arc<Self>,
        _request: Request<AnalyzerStackConfigureRequest>,
    ) -> BoxFuture<RpcResult<AnalyzerStackConfigureResponse>> {
        unimplemented("ConfigureStack")
    }
    /// `GetPluginInfo`: the plugin's version.
    fn get_plugin_info(
        self: Arc<Self>,
        _request: Request<Empty>,
    ) -> BoxFuture<RpcResult<PluginInfo>> {
        unimplemented("GetPluginInfo")
    }
    /// `GetAnalyzerInfo`: the pack and its policies.
    fn get_analyzer_info(
        self: Arc<Self>,
        _request: Request<Empty>,
    ) -> BoxFuture<RpcResult<AnalyzerInfo>> {
        unimplemented("GetAnalyzerInfo")
    }
    /// `Configure`: levels and configuration per policy.
    fn configure(
        self: Arc<Self>,
        _request: Request<ConfigureAnalyzerRequest>,
    ) -> BoxFuture<RpcResult<Empty>> {
        unimplemented("Configure")
    }
    /// `Analyze`: validate one resource.
    fn analyze(
        self: Arc<Self>,
        _request: Request<AnalyzeRequest>,
    ) -> BoxFuture<RpcResult<AnalyzeResponse>> {
        unimplemented("Analyze")
    }
    /// `AnalyzeStack`: validate the stack.
    fn analyze_stack(
        self: Arc<Self>,
        _request: Request<AnalyzeStackRequest>,
    ) -> BoxFuture<RpcResult<AnalyzeResponse>> {
        unimplemented("AnalyzeStack")
    }
    /// `Remediate`: fix one resource.
    fn remediate(
        self: Arc<Self>,
        _request: Request<AnalyzeRequest>,
    ) -> BoxFuture<RpcResult<RemediateResponse>> {
        unimplemented("Remediate")
    }
    /// `Cancel`: stop work in progress; the CLI is shutting down.
    fn cancel(self: Arc<Self>, _request: Request<Empty>) -> BoxFuture<RpcResult<Empty>> {
        unimplemented("Cancel")
    }
}

/// Serves an [`Analyzer`] as `pulumirpc.Analyzer`.
pub struct AnalyzerServer<T> {
    service: Arc<T>,
}

route!(AnalyzerServer, Analyzer, "pulumirpc.Analyzer", {
    "/pulumirpc.Analyzer/Handshake" => serve_unary handshake,
    "/pulumirpc.Analyzer/ConfigureStack" => serve_unary configure_stack,
    "/pulumirpc.Analyzer/GetPluginInfo" => serve_unary get_plugin_info,
    "/pulumirpc.Analyzer/GetAnalyzerInfo" => serve_unary get_analyzer_info,
    "/pulumirpc.Analyzer/Configure" => serve_unary configure,
    "/pulumirpc.Analyzer/Analyze" => serve_unary analyze,
    "/pulumirpc.Analyzer/AnalyzeStack" => serve_unary analyze_stack,
    "/pulumirpc.Analyzer/Remediate" => serve_unary remediate,
    "/pulumirpc.Analyzer/Cancel" => serve_unary cancel,
});

/// `pulumirpc.Engine`: the engine side a plugin logs to. Every method defaults to
/// `UNIMPLEMENTED`.
pub trait Engine: Send + Sync + 'static {
    /// `Log`: show a message.
    fn log(self: Arc<Self>, _request: Request<LogRequest>) -> BoxFuture<RpcResult<Empty>> {
        unimplemented("Log")
    }
}

/// Serves an [`Engine`] as `pulumirpc.Engine`.
pub struct EngineServer<T> {
    service: Arc<T>,
}

route!(EngineServer, Engine, "pulumirpc.Engine", {
    "/pulumirpc.Engine/Log" => serve_unary log,
});

/// `pulumirpc.LanguageRuntime`, as far as running a policy pack goes. Every method defaults to
/// `UNIMPLEMENTED`.
pub trait LanguageRuntime: Send + Sync + 'static {
    /// `Handshake`: the engine's address.
    fn handshake(
        self: Arc<Self>,
        _request: Request<LanguageHandshakeRequest>,
    ) -> BoxFuture<RpcResult<LanguageHandshakeResponse>> {
        unimplemented("Handshake")
    }
    /// `GetPluginInfo`: the runtime's version.
    fn get_plugin_info(
        self: Arc<Self>,
        _request: Request<Empty>,
    ) -> BoxFuture<RpcResult<PluginInfo>> {
        unimplemented("GetPluginInfo")
    }
    /// `RunPlugin`: run a plugin, streaming its output; its first line of standard output is the
    /// port it serves on.
    fn run_plugin(
        self: Arc<Self>,
        _request: Request<RunPluginRequest>,
    ) -> BoxFuture<RpcResult<BoxStream<RunPluginResponse>>> {
        Box::pin(async move { Err(Status::unimplemented("`RunPlugin` is not implemented")) })
    }
    /// `Cancel`: the CLI is shutting down.
    fn cancel(self: Arc<Self>, _request: Request<Empty>) -> BoxFuture<RpcResult<Empty>> {
        unimplemented("Cancel")
    }
}

/// Serves a [`LanguageRuntime`] as `pulumirpc.LanguageRuntime`.
pub struct LanguageRuntimeServer<T> {
    service: Arc<T>,
}

route!(LanguageRuntimeServer, LanguageRuntime, "pulumirpc.LanguageRuntime", {
    "/pulumirpc.LanguageRuntime/Handshake" => serve_unary handshake,
    "/pulumirpc.LanguageRuntime/GetPluginInfo" => serve_unary get_plugin_info,
    "/pulumirpc.LanguageRuntime/RunPlugin" => serve_streaming run_plugin,
    "/pulumirpc.LanguageRuntime/Cancel" => serve_unary cancel,
});

/// A client of one gRPC connection: unary calls by path.
#[derive(Clone, Debug)]
struct Client {
    grpc: tonic::client::Grpc<Channel>,
}

impl Client {
    async fn call<Req, Resp>(
        &mut self,
        path: &'static str,
        request: Request<Req>,
    ) -> Result<Resp, Status>
    where
        Req: prost::Message + Send + Sync + 'static,
        Resp: prost::Message + Default + Send + Sync + 'static,
    {
        self.grpc
            .ready()
            .await
            .map_err(|e| Status::unavailable(format!("the connection is not ready: {e}")))?;
        let path = http::uri::PathAndQuery::from_static(path);
        let response = self
            .grpc
            .unary(request, path, ProstCodec::<Req, Resp>::default())
            .await?;
        Ok(response.into_inner())
    }
}

/// Connects to `127.0.0.1:port` (plugins listen there), failing after `timeout`.
pub async fn connect_local(port: u16, timeout: std::time::Duration) -> std::io::Result<Channel> {
    let endpoint = Channel::from_shared(format!("http://127.0.0.1:{port}"))
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    endpoint
        .connect_timeout(timeout)
        .connect()
        .await
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::ConnectionRefused, e))
}

/// A client of `pulumirpc.Analyzer`: guardrail calling a policy pack.
#[derive(Clone, Debug)]
pub struct AnalyzerClient {
    inner: Client,
}

/// A client of `pulumirpc.Engine`: a plugin logging to the engine.
#[derive(Clone, Debug)]
pub struct EngineClient {
    inner: Client,
}

macro_rules! client_methods {
    ($($(#[$doc:meta])* $method:ident($req:ty) -> $resp:ty = $path:literal;)*) => {
        $(
            $(#[$doc])*
            pub async fn $method(&mut self, request: impl tonic::IntoRequest<$req>) -> Result<$resp, Status> {
                self.inner.call($path, request.into_request()).await
            }
        )*
    };
}

impl AnalyzerClient {
    /// A client on an open channel.
    pub fn new(channel: Channel) -> Self {
        AnalyzerClient {
            inner: Client {
                grpc: tonic::client::Grpc::new(channel),
            },
        }
    }

    client_methods! {
        /// `Handshake`.
        handshake(AnalyzerHandshakeRequest) -> AnalyzerHandshakeResponse = "/pulumirpc.Analyzer/Handshake";
        /// `ConfigureStack`.
        configure_stack(AnalyzerStackConfigureRequest) -> AnalyzerStackConfigureResponse = "/pulumirpc.Analyzer/ConfigureStack";
        /// `GetPluginInfo`.
        get_plugin_info(Empty) -> PluginInfo = "/pulumirpc.Analyzer/GetPluginInfo";
        /// `GetAnalyzerInfo`.
        get_analyzer_info(Empty) -> AnalyzerInfo = "/pulumirpc.Analyzer/GetAnalyzerInfo";
        /// `Configure`.
        configure(ConfigureAnalyzerRequest) -> Empty = "/pulumirpc.Analyzer/Configure";
        /// `Analyze`.
        analyze(AnalyzeRequest) -> AnalyzeResponse = "/pulumirpc.Analyzer/Analyze";
        /// `AnalyzeStack`.
        analyze_stack(AnalyzeStackRequest) -> AnalyzeResponse = "/pulumirpc.Analyzer/AnalyzeStack";
        /// `Remediate`.
        remediate(AnalyzeRequest) -> RemediateResponse = "/pulumirpc.Analyzer/Remediate";
        /// `Cancel`.
        cancel(Empty) -> Empty = "/pulumirpc.Analyzer/Cancel";
    }
}

impl EngineClient {
    /// A client on an open channel.
    pub fn new(channel: Channel) -> Self {
        EngineClient {
            inner: Client {
                grpc: tonic::client::Grpc::new(channel),
            },
        }
    }

    client_methods! {
        /// `Log`.
        log(LogRequest) -> Empty = "/pulumirpc.Engine/Log";
    }
}
