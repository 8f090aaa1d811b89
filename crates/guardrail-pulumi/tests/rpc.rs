//! The services over a real HTTP/2 connection on 127.0.0.1: a server and a client of this crate.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use guardrail_pulumi::proto::*;
use guardrail_pulumi::rpc::{
    self, Analyzer, AnalyzerClient, AnalyzerServer, BoxFuture, Engine, EngineClient, EngineServer,
    RpcResult,
};
use tonic::{Code, Request, Response};

struct Pack;

impl Analyzer for Pack {
    fn analyze(
        self: Arc<Self>,
        request: Request<AnalyzeRequest>,
    ) -> BoxFuture<RpcResult<AnalyzeResponse>> {
        Box::pin(async move {
            let req = request.into_inner();
            let port = req
                .properties
                .as_ref()
                .and_then(|p| p.fields.get("port"))
                .and_then(|v| match v.kind {
                    Some(Kind::NumberValue(n)) => Some(n),
                    _ => None,
                });
            Ok(Response::new(AnalyzeResponse {
                diagnostics: vec![AnalyzeDiagnostic {
                    policy_name: "ports".into(),
                    message: format!("{} listens on {:?}", req.urn, port),
                    enforcement_level: EnforcementLevel::Mandatory as i32,
                    ..Default::default()
                }],
                not_applicable: vec![],
            }))
        })
    }
}

#[derive(Default)]
struct Logs(Mutex<Vec<String>>);

impl Engine for Logs {
    fn log(self: Arc<Self>, request: Request<LogRequest>) -> BoxFuture<RpcResult<()>> {
        Box::pin(async move {
            if let Ok(mut logs) = self.0.lock() {
                logs.push(request.into_inner().message);
            }
            Ok(Response::new(()))
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analyzer_and_engine_round_trip() -> Result<(), Box<dyn std::error::Error>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let logs = Arc::new(Logs::default());
    let server = tonic::transport::Server::builder()
        .add_service(AnalyzerServer::new(Pack))
        .add_service(EngineServer::from_arc(Arc::clone(&logs)))
        .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener));
    let handle = tokio::spawn(server);

    let channel = rpc::connect_local(port, Duration::from_secs(5)).await?;
    let mut client = AnalyzerClient::new(channel.clone());
    let answer = client
        .analyze(AnalyzeRequest {
            urn: "urn:x".into(),
            properties: Some(Struct {
                fields: [(
                    "port".to_string(),
                    Value {
                        kind: Some(Kind::NumberValue(22.0)),
                    },
                )]
                .into_iter()
                .collect(),
            }),
            ..Default::default()
        })
        .await?;
    assert_eq!(answer.diagnostics.len(), 1);
    assert_eq!(answer.diagnostics[0].message, "urn:x listens on Some(22.0)");

    // a method the pack does not implement is UNIMPLEMENTED, as the CLI expects
    let err = client
        .handshake(AnalyzerHandshakeRequest::default())
        .await
        .err();
    assert_eq!(err.map(|e| e.code()), Some(Code::Unimplemented));

    let mut engine = EngineClient::new(channel);
    engine
        .log(LogRequest {
            severity: LogSeverity::Info as i32,
            message: "hello".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(
        logs.0.lock().map(|l| l.clone()).unwrap_or_default(),
        vec!["hello".to_string()]
    );
    handle.abort();
    Ok(())
}
