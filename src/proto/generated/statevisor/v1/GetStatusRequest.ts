// Original file: proto/statevisor/v1/process_manager.proto


export interface GetStatusRequest {
}

export interface GetStatusRequest__Output {
}
