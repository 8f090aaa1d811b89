//! Generator of Kubernetes manifest sets for the benchmark: `N` objects as one multi-document
//! YAML file, what `helm template` of a large platform prints.
//!
//! [`ManifestSet::new`] lays out the objects deterministically from a seed: Deployments (each
//! with a Service beside it), ConfigMaps and Roles, in namespaces of 40 objects. A known
//! fraction of the Deployments violates known rules; [`COUNTED_K8S_RULES`] names each rule with
//! the Checkov check that looks for the same thing, and [`ManifestSet::expected`] gives the exact
//! count of each, so that a run of either tool can be checked.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::Rng;

/// The rules whose expected violation counts the generator knows: guardrail's id, Checkov's
/// id, and what violates them.
pub const COUNTED_K8S_RULES: &[(&str, &str, &str)] = &[
    (
        "K8S-POD-001",
        "CKV_K8S_16",
        "a container with `privileged: true`",
    ),
    (
        "K8S-POD-002",
        "CKV_K8S_20",
        "a container that does not set `allowPrivilegeEscalation: false` (every privileged one too)",
    ),
    ("K8S-POD-003", "CKV_K8S_19", "a pod on the host network"),
    (
        "K8S-IMAGE-001",
        "CKV_K8S_14",
        "an image tagged `latest` or not tagged",
    ),
];

/// What one object is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Object {
    /// A Deployment with one container; the flags say which rules it violates.
    Deployment {
        privileged: bool,
        escalation: bool,
        host_network: bool,
        latest: bool,
    },
    /// The Service of the Deployment before it.
    Service,
    /// A ConfigMap.
    ConfigMap,
    /// A Role reading ConfigMaps.
    Role,
}

/// A deterministic set of Kubernetes objects.
#[derive(Clone, Debug)]
pub struct ManifestSet {
    objects: Vec<Object>,
}

impl ManifestSet {
    /// `n` objects laid out from `seed`.
    pub fn new(n: usize, seed: u64) -> ManifestSet {
        let mut objects = Vec::with_capacity(n);
        let mut rng = Rng::new(seed, 0x6b38);
        while objects.len() < n {
            let roll = rng.below(100);
            if roll < 70 && objects.len() + 2 <= n {
                let bad = rng.chance(20);
                objects.push(Object::Deployment {
                    privileged: bad && rng.chance(30),
                    escalation: bad && rng.chance(50),
                    host_network: bad && rng.chance(20),
                    latest: bad && rng.chance(40),
                });
                objects.push(Object::Service);
            } else if roll < 85 {
                objects.push(Object::ConfigMap);
            } else {
                objects.push(Object::Role);
            }
        }
        ManifestSet { objects }
    }

    /// How many objects the set holds.
    pub fn objects(&self) -> usize {
        self.objects.len()
    }

    /// The exact violation count of each rule of [`COUNTED_K8S_RULES`], by guardrail's id.
    pub fn expected(&self) -> BTreeMap<&'static str, usize> {
        let mut counts: BTreeMap<&'static str, usize> = COUNTED_K8S_RULES
            .iter()
            .map(|(id, _, _)| (*id, 0))
            .collect();
        for object in &self.objects {
            if let Object::Deployment {
                privileged,
                escalation,
                host_network,
                latest,
            } = *object
            {
                for (id, hit) in [
                    ("K8S-POD-001", privileged),
                    ("K8S-POD-002", escalation || privileged),
                    ("K8S-POD-003", host_network),
                    ("K8S-IMAGE-001", latest),
                ] {
                    if hit {
                        *counts.entry(id).or_default() += 1;
                    }
                }
            }
        }
        counts
    }

    /// The expected counts as JSON: `{"objects": N, "rules": {id: {"checkov": id, "count": n}}}`.
    pub fn expected_json(&self) -> serde_json::Value {
        let expected = self.expected();
        let rules: serde_json::Map<String, serde_json::Value> = COUNTED_K8S_RULES
            .iter()
            .map(|(id, checkov, what)| {
                (
                    (*id).to_string(),
                    serde_json::json!({
                        "checkov": checkov,
                        "what": what,
                        "count": expected.get(id).copied().unwrap_or(0),
                    }),
                )
            })
            .collect();
        serde_json::json!({"objects": self.objects(), "rules": rules})
    }

    /// Writes the set as one YAML stream, documents separated by `---`.
    pub fn write_yaml(&self, out: &mut dyn Write) -> io::Result<()> {
        for (i, object) in self.objects.iter().enumerate() {
            let namespace = format!("team-{:04}", i / 40);
            let app = format!("app-{i:06}");
            writeln!(out, "---\n# Source: platform/templates/{app}.yaml")?;
            match *object {
                Object::Deployment {
                    privileged,
                    escalation,
                    host_network,
                    latest,
                } => {
                    let image = if latest {
                        "registry.example.com/platform/web:latest".to_string()
                    } else {
                        format!("registry.example.com/platform/web:1.{}.{}", i % 17, i % 5)
                    };
                    writeln!(
                        out,
                        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {app}\n  namespace: {namespace}\n  labels:\n    app.kubernetes.io/name: {app}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: {app}\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: {app}\n    spec:\n      serviceAccountName: {app}\n      automountServiceAccountToken: false\n      hostNetwork: {host_network}\n      securityContext:\n        runAsNonRoot: true\n        seccompProfile:\n          type: RuntimeDefault\n      containers:\n        - name: web\n          image: {image}\n          ports:\n            - containerPort: 8080\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n            limits:\n              cpu: 500m\n              memory: 256Mi\n          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: 8080\n          readinessProbe:\n            httpGet:\n              path: /ready\n              port: 8080\n          securityContext:\n            privileged: {privileged}\n            allowPrivilegeEscalation: {allow}\n            readOnlyRootFilesystem: true\n            capabilities:\n              drop: [\"ALL\"]",
                        allow = escalation || privileged,
                    )?;
                }
                Object::Service => {
                    let target = format!("app-{:06}", i.saturating_sub(1));
                    writeln!(
                        out,
                        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {target}\n  namespace: {namespace}\nspec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: {target}\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080"
                    )?;
                }
                Object::ConfigMap => {
                    writeln!(
                        out,
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {app}-config\n  namespace: {namespace}\ndata:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: \"search,checkout\""
                    )?;
                }
                Object::Role => {
                    writeln!(
                        out,
                        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {app}-reader\n  namespace: {namespace}\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"configmaps\"]\n    verbs: [\"get\", \"list\", \"watch\"]"
                    )?;
                }
            }
        }
        Ok(())
    }
}
