/**
 * WhatsApp Cloud API wire types, named by direction (ARCHITECTURE.md, How to add … a channel):
 * `Client*` is what we send, `Server*` what Meta answers. Only the fields we use are typed.
 */

export interface ClientTextParameter {
	type: 'text';
	text: string;
	/** Set for templates with named placeholders (`{{title}}`). */
	parameter_name?: string;
}

export interface ClientPayloadParameter {
	type: 'payload';
	payload: string;
}

export type ClientTemplateComponent =
	| { type: 'header'; parameters: ClientTextParameter[] }
	| { type: 'body'; parameters: ClientTextParameter[] }
	| {
			type: 'button';
			sub_type: 'quick_reply';
			index: string;
			parameters: ClientPayloadParameter[];
	  };

interface ClientMessageBase {
	messaging_product: 'whatsapp';
	recipient_type: 'individual';
	to: string;
	/** Echoed back in status webhooks: ties a status to its broadcast. */
	biz_opaque_callback_data?: string;
}

export interface ClientTemplateMessage extends ClientMessageBase {
	type: 'template';
	template: {
		name: string;
		language: { code: string };
		components?: ClientTemplateComponent[];
	};
}

export interface ClientTextMessage extends ClientMessageBase {
	type: 'text';
	text: { preview_url: boolean; body: string };
}

export type ClientMessage = ClientTemplateMessage | ClientTextMessage;

export interface ServerSendSuccess {
	messaging_product: 'whatsapp';
	contacts?: Array<{ input: string; wa_id: string }>;
	messages: Array<{ id: string; message_status?: string }>;
}

export interface ServerErrorBody {
	error: {
		message?: string;
		type?: string;
		code?: number;
		error_subcode?: number;
		error_data?: { details?: string };
		fbtrace_id?: string;
	};
}

/** A message before it is addressed (rendered once per broadcast). */
export type ClientUnaddressedMessage =
	| Omit<ClientTemplateMessage, 'to'>
	| Omit<ClientTextMessage, 'to'>;
