// The embedded cluster's NetworkPolicy engine: kube-router's firewall controller (iptables + ipset) alone,
// built into podlab-k8s so it compiles against the client-go, apimachinery and Prometheus packages the
// Kubernetes components already need. Its router and service proxy (gobgp, IPVS) are left out: the bridge
// CNI and kube-proxy do that work, and they would double the build.
//
// Why kube-router and not sigs.k8s.io/kube-network-policies: the latter queues packets with nftables'
// `queue` statement, and this kernel has no CONFIG_NFT_QUEUE; kube-router needs iptables and ipset only.
package main

import (
	goflag "flag"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/cloudnativelabs/kube-router/v2/pkg/controllers/netpol"
	"github.com/cloudnativelabs/kube-router/v2/pkg/healthcheck"
	"github.com/cloudnativelabs/kube-router/v2/pkg/options"
	"github.com/spf13/pflag"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

// runNetpol takes kube-router's own flags (--kubeconfig, --hostname-override, --v, ...); only its firewall
// controller is in this binary, so --run-router and --run-service-proxy default to false here.
func runNetpol(args []string) int {
	if err := netpolMain(args); err != nil {
		fmt.Fprintf(os.Stderr, "kube-router: %v\n", err)
		return 1
	}
	return 0
}

// netpolMain: kube-router's config from its flags, the informers it watches, then its firewall controller until
// SIGINT or SIGTERM.
func netpolMain(args []string) error {
	config, err := netpolConfig(args)
	if err != nil || config == nil {
		return err
	}
	restConfig, err := clientcmd.BuildConfigFromFlags(config.Master, config.Kubeconfig)
	if err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	client, err := kubernetes.NewForConfig(restConfig)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	stopCh := make(chan struct{})
	if err := runFirewall(config, client, stopCh, &wg); err != nil {
		return err
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	<-signals
	klog.Info("shutting down the firewall controller")
	close(stopCh)
	wg.Wait()
	return nil
}

// netpolConfig parses kube-router's flags and sets klog from them; nil without an error when only help was asked.
func netpolConfig(args []string) (*options.KubeRouterConfig, error) {
	config := options.NewKubeRouterConfig()
	config.RunRouter, config.RunServiceProxy = false, false // not built in; flags default to the values set here
	fs := pflag.NewFlagSet("kube-router", pflag.ContinueOnError)
	config.AddFlags(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if config.HelpRequested {
		fmt.Fprintln(os.Stderr, "usage: podlab-k8s kube-router [flags]: kube-router's firewall controller (NetworkPolicy) alone")
		fs.PrintDefaults()
		return nil, nil
	}
	if config.RunRouter || config.RunServiceProxy || config.RunLoadBalancer {
		return nil, fmt.Errorf("only the firewall controller is built in: leave out --run-router, --run-service-proxy and --run-loadbalancer")
	}
	klogFlags := goflag.NewFlagSet("klog", goflag.ContinueOnError)
	klog.InitFlags(klogFlags)
	_ = klogFlags.Set("logtostderr", "true")
	if err := klogFlags.Set("v", config.VLevel); err != nil {
		return nil, err
	}
	return config, nil
}

// runFirewall starts the health controller, the pod, namespace and NetworkPolicy informers (synced before the
// controller sees them) and the firewall controller; each goroutine joins wg and stops when stopCh closes.
func runFirewall(config *options.KubeRouterConfig, client kubernetes.Interface, stopCh chan struct{}, wg *sync.WaitGroup) error {
	// The controller sends heartbeats on this channel; the health controller must drain it.
	healthChan := make(chan *healthcheck.ControllerHeartbeat, 10)
	hc, err := healthcheck.NewHealthController(config)
	if err != nil {
		return err
	}
	wg.Add(1)
	go hc.RunServer(stopCh, wg)

	factory := informers.NewSharedInformerFactory(client, 0)
	pods := factory.Core().V1().Pods().Informer()
	namespaces := factory.Core().V1().Namespaces().Informer()
	policies := factory.Networking().V1().NetworkPolicies().Informer()
	factory.Start(stopCh)
	synced := make(chan struct{})
	go func() { factory.WaitForCacheSync(stopCh); close(synced) }()
	select {
	case <-synced:
	case <-time.After(config.CacheSyncTimeout):
		return fmt.Errorf("informer caches did not sync within %s", config.CacheSyncTimeout)
	}
	hc.SetAlive()
	wg.Add(1)
	go hc.RunCheck(healthChan, stopCh, wg)

	iptablesHandlers, ipsetHandlers, err := netpol.NewIPTablesHandlers(config)
	if err != nil {
		return fmt.Errorf("iptables handlers: %w", err)
	}
	var ipsetMutex sync.Mutex
	npc, err := netpol.NewNetworkPolicyController(client, config, pods, policies, namespaces, &ipsetMutex, iptablesHandlers, ipsetHandlers)
	if err != nil {
		return fmt.Errorf("network policy controller: %w", err)
	}
	for informer, handler := range map[cache.SharedIndexInformer]cache.ResourceEventHandler{
		pods: npc.PodEventHandler, namespaces: npc.NamespaceEventHandler, policies: npc.NetworkPolicyEventHandler,
	} {
		if _, err := informer.AddEventHandler(handler); err != nil {
			return err
		}
	}
	wg.Add(1)
	go npc.Run(healthChan, stopCh, wg)
	return nil
}
