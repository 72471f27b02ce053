using k8s;
using k8s.Models;

namespace HealthcareOrleans.Deployment.Tests;

/// <summary>
/// No API server runs here, so the manifests are checked offline: every document must load as its typed
/// Kubernetes object with no unknown field, and the silo Deployment must keep the promises the design makes.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Repo = FindRepo();

    public static TheoryData<string> Manifests()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo, "k8s"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file) != "kustomization.yaml")
            {
                data.Add(Path.GetRelativePath(Repo, file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_manifest_loads_as_typed_objects_without_unknown_fields(string manifest)
    {
        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Repo, manifest)), strict: true);
        Assert.NotEmpty(objects);
    }

    [Theory]
    [InlineData("k8s/base")]
    [InlineData("k8s/overlays/aks")]
    [InlineData("k8s/overlays/aks-azure")]
    public void Every_file_a_kustomization_names_exists(string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(Repo, folder, "kustomization.yaml"));
        var named = lines.Select(l => l.Trim()).Where(l => l.StartsWith("- ", StringComparison.Ordinal) && !l.Contains(':', StringComparison.Ordinal)).Select(l => l[2..].Trim())
            .Concat(lines.Select(l => l.Trim()).Where(l => l.StartsWith("- path:", StringComparison.Ordinal)).Select(l => l["- path:".Length..].Trim()))
            .ToList();
        Assert.NotEmpty(named);
        Assert.All(named, path => Assert.True(File.Exists(Path.Combine(Repo, folder, path)) || Directory.Exists(Path.Combine(Repo, folder, path)), $"{folder} names {path}, which does not exist"));
    }

    [Fact]
    public void The_silo_deployment_rolls_without_losing_an_owner_and_shuts_down_slower_than_it_flushes()
    {
        var deployment = Load<V1Deployment>("k8s/base/deployment.yaml");
        var pod = deployment.Spec.Template.Spec;
        var silo = Assert.Single(pod.Containers);

        Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        // The host's shutdown timeout is 30 s (silo/Program.cs): Kubernetes must not kill it before Bronze is flushed.
        Assert.True(pod.TerminationGracePeriodSeconds > 30);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.True(silo.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(silo.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal("/healthz/ready", silo.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", silo.LivenessProbe.HttpGet.Path);
        Assert.NotNull(silo.Resources.Requests);
        Assert.NotNull(silo.Resources.Limits);
        Assert.Contains(silo.Env, e => e.Name == "Orleans__AdvertisedIPAddress" && e.Value == "$(POD_IP)");
        Assert.Contains(silo.Env, e => e.Name == "POD_IP" && e.ValueFrom.FieldRef.FieldPath == "status.podIP");
        Assert.Contains(silo.Env, e => e.Name == "Orleans__SiloName" && e.Value == "$(POD_NAME)");
        Assert.All(silo.Env.Where(e => e.Name.Contains("ConnectionString", StringComparison.Ordinal) || e.Name.Contains("ApiKeys", StringComparison.Ordinal)),
            e => Assert.NotNull(e.ValueFrom?.SecretKeyRef));
    }

    [Fact]
    public void The_azure_overlay_runs_profile_azure_on_storage_reached_by_https_address_with_the_workload_identity()
    {
        var config = Load<V1ConfigMap>("k8s/overlays/aks-azure/configmap.yaml").Data;
        var baseConfig = Load<V1ConfigMap>("k8s/base/configmap.yaml");
        Assert.Equal(baseConfig.Metadata.Name, Load<V1ConfigMap>("k8s/overlays/aks-azure/configmap.yaml").Metadata.Name);
        Assert.Equal("azure", config["Profile"]);
        foreach (var (setting, service) in new[] { ("AzureStorage__BlobServiceUri", "blob"), ("AzureStorage__TableServiceUri", "table") })
        {
            // Once the operator has put the account's name in for the placeholder.
            var uri = new Uri(config[setting].Replace("<storageaccount>", "hcaccount", StringComparison.Ordinal));
            Assert.Equal("https", uri.Scheme);
            Assert.EndsWith($".{service}.core.windows.net", uri.Host, StringComparison.Ordinal);
        }

        // Addresses only: a key in a ConfigMap is a key in clear text for anyone who can read the namespace.
        Assert.All(config, entry => Assert.DoesNotMatch("(?i)(AccountKey|SharedAccessKey|password|ConnectionString)", entry.Key + "=" + entry.Value));
        Assert.DoesNotContain(config.Keys, k => k.StartsWith("Redis__", StringComparison.Ordinal));

        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Repo, "k8s/overlays/aks-azure/workload-identity.yaml")), strict: true);
        var account = Assert.Single(objects.OfType<V1ServiceAccount>());
        Assert.Equal(Load<V1ServiceAccount>("k8s/base/serviceaccount.yaml").Metadata.Name, account.Metadata.Name);
        Assert.True(account.Metadata.Annotations.ContainsKey("azure.workload.identity/client-id"));
        var pod = Assert.Single(objects.OfType<V1Deployment>()).Spec.Template.Metadata;
        Assert.Equal("true", pod.Labels["azure.workload.identity/use"]);
    }

    [Fact]
    public void Redis_comes_only_from_the_redis_overlay_so_the_azure_profile_never_sees_a_redis_setting()
    {
        var baseSilo = Assert.Single(Load<V1Deployment>("k8s/base/deployment.yaml").Spec.Template.Spec.Containers);
        Assert.DoesNotContain(baseSilo.Env, e => e.Name.StartsWith("Redis__", StringComparison.Ordinal));

        var redisSilo = Assert.Single(Load<V1Deployment>("k8s/overlays/aks/redis.yaml").Spec.Template.Spec.Containers);
        Assert.Equal(baseSilo.Name, redisSilo.Name);
        var redis = Assert.Single(redisSilo.Env, e => e.Name == "Redis__ConnectionString");
        Assert.NotNull(redis.ValueFrom.SecretKeyRef);
        Assert.Contains("redis.yaml", File.ReadAllText(Path.Combine(Repo, "k8s/overlays/aks/kustomization.yaml")), StringComparison.Ordinal);
        Assert.DoesNotContain("redis.yaml", File.ReadAllText(Path.Combine(Repo, "k8s/overlays/aks-azure/kustomization.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_disruption_budget_and_autoscaler_target_the_silo()
    {
        var pdb = Load<V1PodDisruptionBudget>("k8s/base/poddisruptionbudget.yaml");
        var hpa = Load<V2HorizontalPodAutoscaler>("k8s/base/horizontalpodautoscaler.yaml");
        var deployment = Load<V1Deployment>("k8s/base/deployment.yaml");

        Assert.Equal(deployment.Spec.Selector.MatchLabels, pdb.Spec.Selector.MatchLabels);
        Assert.Equal(deployment.Metadata.Name, hpa.Spec.ScaleTargetRef.Name);
        Assert.True(hpa.Spec.MinReplicas >= 2);
    }

    [Theory]
    [InlineData("silo/Dockerfile")]
    [InlineData("client/Dockerfile")]
    public void Images_run_as_a_non_root_user(string dockerfile)
    {
        var lines = File.ReadAllLines(Path.Combine(Repo, dockerfile));
        var user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotContain("root", user, StringComparison.Ordinal);
        Assert.True(lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)) >= 2, "multi-stage build expected");
    }

    private static T Load<T>(string manifest) =>
        KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Repo, manifest)), strict: true).OfType<T>().Single();

    private static string FindRepo()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HealthcareOrleans.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("HealthcareOrleans.sln not found above the test folder.");
    }
}
