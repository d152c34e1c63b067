// Original file: proto/statevisor/v1/process_manager.proto


export interface SignalProcessResponse {
}

export interface SignalProcessResponse__Output {
}
