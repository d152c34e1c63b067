// Original file: proto/statevisor/v1/process_manager.proto


export interface ReloadConfigRequest {
}

export interface ReloadConfigRequest__Output {
}
