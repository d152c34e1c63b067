// Original file: proto/statevisor/v1/process_manager.proto


export interface DeleteProcessResponse {
}

export interface DeleteProcessResponse__Output {
}
