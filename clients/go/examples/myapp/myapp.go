// The Integration Example of the reference client's README, as written there; only the import
// path is statevisor's, and one line is added: Go refuses to compile the original, which
// declares `process` and never uses it ("process declared but not used").
package myapp

import (
    "context"
    "time"
    
    pm "github.com/statevisor/statevisor/clients/go"
)

type AppManager struct {
    pm *pm.Client
}

func NewAppManager() (*AppManager, error) {
    client, err := pm.NewClient()
    if err != nil {
        return nil, err
    }
    return &AppManager{pm: client}, nil
}

func (m *AppManager) StartWorker(name string, cmd string, args []string) error {
    ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
    defer cancel()
    
    // Create process
    process, err := m.pm.CreateProcess(ctx, &pm.CreateRequest{
        Name:          name,
        Command:       cmd,
        Args:          args,
        RestartPolicy: "on-failure",
        AutoStart:     true,
    })
    if err != nil {
        return err
    }
    _ = process // added: the one change besides the import path (see above)
    
    // Process is already started due to AutoStart=true
    return nil
}

func (m *AppManager) StopWorker(name string) error {
    ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
    defer cancel()
    
    return m.pm.StopProcess(ctx, name)
}

func (m *AppManager) GetWorkerStatus(name string) (string, error) {
    ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
    defer cancel()
    
    process, err := m.pm.DescribeProcess(ctx, name)
    if err != nil {
        return "", err
    }
    
    return process.State, nil
}

func (m *AppManager) Close() error {
    return m.pm.Close()
}
